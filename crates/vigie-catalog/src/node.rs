//! A located YAML tree: every value with the 1-based line it starts on, read
//! with serde-saphyr's alias, depth and node budgets (hostile input).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// Catalog files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Deepest nesting of a catalog document (entities need about 6 levels).
pub const MAX_DEPTH: usize = 20;

/// One YAML value and the line where it starts (0 when unknown).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// 1-based line of the value.
    pub line: u32,
    /// The value.
    pub value: Value,
}

/// A YAML value whose children are located [`Node`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Any number, kept as its text (`12`, `1.5`).
    Number(String),
    /// A string.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping with string keys, in file order; each key's line is kept.
    Map(Vec<(Key, Node)>),
}

/// A mapping key and its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// 1-based line of the key.
    pub line: u32,
    /// The key text (non-string keys are printed).
    pub name: String,
}

impl Node {
    /// What this value is, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The entry `key` of a mapping (first match), with its key.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _)| k.name == key).map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The text of a string, number or boolean scalar.
    pub fn scalar(&self) -> Option<String> {
        match &self.value {
            Value::String(s) | Value::Number(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The text of a string scalar only.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The mapping entries, if this is a mapping.
    pub fn as_map(&self) -> Option<&[(Key, Node)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
}

/// A YAML file that could not be read at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    /// 1-based line, when the parser said.
    pub line: Option<u32>,
    /// What went wrong (first line of the parser's message).
    pub message: String,
}

/// Parses every document of a YAML stream (`---` separated) into located
/// trees. Empty documents are skipped. Files over [`MAX_FILE_BYTES`], alias
/// bombs, nesting over [`MAX_DEPTH`] levels and more than 250,000 nodes are errors.
pub fn parse_documents(text: &str) -> Result<Vec<Node>, ParseError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ParseError {
            line: None,
            message: format!(
                "file of {} bytes is over the {MAX_FILE_BYTES}-byte limit",
                text.len()
            ),
        });
    }
    // serde-saphyr's budget bounds aliases (100,000 replayed events), documents
    // (1,024) and nodes (250,000); depth is cut to MAX_DEPTH because each
    // level costs several deserializer frames (64 levels overflow a 2 MiB
    // thread stack in a debug build). Booleans are only `true`/`false`:
    // `NO` is Norway, `y` is a key.
    let options = serde_saphyr::options! {
        strict_booleans: true,
        budget: serde_saphyr::budget! { max_depth: MAX_DEPTH },
        alias_limits: serde_saphyr::alias_limits! {
            max_replay_stack_depth: MAX_DEPTH,
            max_total_replayed_events: 100_000,
        },
    };
    serde_saphyr::from_multiple_with_options::<Node>(text, options).map_err(|e| {
        let msg = e.to_string();
        ParseError {
            line: line_in_message(&msg),
            message: msg.lines().next().unwrap_or("invalid YAML").to_owned(),
        }
    })
}

/// serde-saphyr puts `line N` in its messages; take it when it is there.
fn line_in_message(msg: &str) -> Option<u32> {
    let idx = msg.find("line ")?;
    let digits: String = msg
        .get(idx + 5..)?
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

fn line_of<T>(s: &Spanned<T>) -> u32 {
    u32::try_from(s.referenced.line()).unwrap_or(u32::MAX)
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Value>::deserialize(d)?;
        Ok(Node {
            line: line_of(&spanned),
            value: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// A mapping key: any scalar, printed.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Ok(KeyText(match v {
            Value::String(s) | Value::Number(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".to_owned(),
            Value::Seq(_) | Value::Map(_) => {
                return Err(de::Error::custom("mapping keys must be scalars"));
            }
        }))
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Node>()? {
            items.push(n);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(k) = map.next_key::<Spanned<KeyText>>()? {
            let line = line_of(&k);
            let v = map.next_value::<Node>()?;
            entries.push((
                Key {
                    line,
                    name: k.value.0,
                },
                v,
            ));
        }
        Ok(Value::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_values_and_keys() {
        let docs = parse_documents("a: 1\nb:\n  - x\n  - y: true\n---\nc: ~\n").unwrap();
        assert_eq!(docs.len(), 2);
        let (ka, va) = docs[0].entry("a").unwrap();
        assert_eq!((ka.line, va.line), (1, 1));
        let b = docs[0].get("b").unwrap();
        let Value::Seq(items) = &b.value else {
            panic!("seq")
        };
        assert_eq!(items[0].line, 3);
        assert_eq!(items[1].get("y").unwrap().value, Value::Bool(true));
        assert_eq!(items[1].entry("y").unwrap().0.line, 4);
        assert_eq!(docs[1].entry("c").unwrap().0.line, 6);
        let no = parse_documents("country: NO\nflag: yes\n").unwrap();
        assert_eq!(no[0].get("country").unwrap().as_str(), Some("NO"));
        assert_eq!(no[0].get("flag").unwrap().as_str(), Some("yes"));
    }
}
#[cfg(test)]
mod depth {
    /// The deepest accepted document parses on a 1 MiB stack (half of a
    /// default thread's), one level more is a located error.
    #[test]
    fn deepest_document_fits_a_small_stack() {
        let nest = |depth: usize| -> String {
            (0..depth)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect()
        };
        let worker = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || {
                let ok = super::parse_documents(&nest(super::MAX_DEPTH)).is_ok();
                let err = super::parse_documents(&nest(super::MAX_DEPTH + 1)).err();
                (ok, err.and_then(|e| e.line))
            })
            .unwrap();
        let (ok, err_line) = worker.join().unwrap();
        assert!(ok);
        assert_eq!(err_line, Some(21));
    }
}
