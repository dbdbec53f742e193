//! Typed reading of located YAML fields: every wrong type, missing field or
//! bad reference becomes a diagnostic at its line, never a panic.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic};
use crate::entity_ref::{EntityRef, RefError};
use crate::model::RefField;
use crate::node::{Node, Value};

/// The state of reading one entity.
pub(crate) struct Ctx<'a> {
    /// The catalog file.
    pub file: &'a str,
    /// Where diagnostics go.
    pub diags: &'a mut Vec<Diagnostic>,
    /// Lines of fields read, by path.
    pub lines: BTreeMap<String, u32>,
    /// Reference fields read.
    pub refs: Vec<RefField>,
    /// The entity's namespace (default for references).
    pub namespace: String,
    /// The entity, for diagnostics, once known.
    pub entity: Option<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &'a str, diags: &'a mut Vec<Diagnostic>) -> Self {
        Ctx {
            file,
            diags,
            lines: BTreeMap::new(),
            refs: Vec::new(),
            namespace: crate::entity_ref::DEFAULT_NAMESPACE.to_owned(),
            entity: None,
        }
    }

    /// Records an error at `line`.
    pub fn error(&mut self, code: Code, line: u32, message: impl Into<String>) {
        let mut d = Diagnostic::error(code, self.file, line, message);
        d.entity = self.entity.clone();
        self.diags.push(d);
    }

    fn wrong_type(&mut self, path: &str, node: &Node, expected: &str) {
        let msg = format!("`{path}` must be {expected}, not {}", node.type_name());
        self.error(Code::WrongType, node.line, msg);
    }

    /// A scalar field as text (numbers and booleans printed); absent or
    /// null gives `None`; a list or mapping is a `wrong-type` error.
    pub fn string(&mut self, parent: &Node, key: &str, path: &str) -> Option<String> {
        let node = parent.get(key)?;
        self.lines.insert(path.to_owned(), node.line);
        match &node.value {
            Value::Null => None,
            _ => match node.scalar() {
                Some(s) => Some(s),
                None => {
                    self.wrong_type(path, node, "a string");
                    None
                }
            },
        }
    }

    /// A required scalar field: a `missing-field` error at the parent's
    /// line when absent.
    pub fn required(&mut self, parent: &Node, key: &str, path: &str) -> Option<String> {
        let node = parent.get(key);
        let v = self.string(parent, key, path);
        let wrong = node.is_some_and(|n| matches!(n.value, Value::Seq(_) | Value::Map(_)));
        if !wrong && v.as_deref().is_none_or(|s| s.trim().is_empty()) {
            let line = node.map_or(parent.line, |n| n.line);
            self.error(Code::MissingField, line, format!("`{path}` is required"));
        }
        v
    }

    /// A list of scalars (a single scalar is a one-item list), each with its line.
    pub fn strings(&mut self, parent: &Node, key: &str, path: &str) -> Vec<(String, u32)> {
        let Some(node) = parent.get(key) else {
            return Vec::new();
        };
        self.lines.insert(path.to_owned(), node.line);
        match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item.scalar() {
                        Some(s) => out.push((s, item.line)),
                        None => self.wrong_type(path, item, "a list of strings"),
                    }
                }
                out
            }
            _ => match node.scalar() {
                Some(s) => vec![(s, node.line)],
                None => {
                    self.wrong_type(path, node, "a list of strings");
                    Vec::new()
                }
            },
        }
    }

    /// A mapping field, or `None` (a `wrong-type` error when it is something else).
    pub fn map<'n>(&mut self, parent: &'n Node, key: &str, path: &str) -> Option<&'n Node> {
        let node = parent.get(key)?;
        self.lines.insert(path.to_owned(), node.line);
        match node.value {
            Value::Map(_) => Some(node),
            Value::Null => None,
            _ => {
                self.wrong_type(path, node, "a mapping");
                None
            }
        }
    }

    /// Parses one reference written at `line`, recording it under `field`.
    pub fn parse_ref(
        &mut self,
        text: &str,
        line: u32,
        field: &'static str,
        default_kind: Option<&str>,
    ) -> Option<EntityRef> {
        match EntityRef::parse(text, default_kind, &self.namespace) {
            Ok(r) => {
                self.refs.push(RefField {
                    field,
                    target: r.clone(),
                    line,
                });
                Some(r)
            }
            Err(e @ (RefError::NoKind(_) | RefError::Invalid(..))) => {
                self.error(Code::InvalidReference, line, format!("`{field}`: {e}"));
                None
            }
        }
    }

    /// A single reference field.
    pub fn reference(
        &mut self,
        parent: &Node,
        key: &str,
        field: &'static str,
        default_kind: Option<&str>,
    ) -> Option<EntityRef> {
        let text = self.string(parent, key, field)?;
        let line = parent.get(key).map_or(parent.line, |n| n.line);
        self.parse_ref(&text, line, field, default_kind)
    }

    /// A list-of-references field.
    pub fn references(
        &mut self,
        parent: &Node,
        key: &str,
        field: &'static str,
        default_kind: Option<&str>,
    ) -> Vec<EntityRef> {
        self.strings(parent, key, field)
            .into_iter()
            .filter_map(|(t, line)| self.parse_ref(&t, line, field, default_kind))
            .collect()
    }

    /// A mapping of strings to strings (labels, annotations); other values
    /// are `wrong-type` errors.
    pub fn string_map(&mut self, parent: &Node, key: &str, path: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Some(node) = self.map(parent, key, path) else {
            return out;
        };
        for (k, v) in node.as_map().unwrap_or_default() {
            match &v.value {
                Value::String(s) => {
                    out.insert(k.name.clone(), s.clone());
                }
                _ => {
                    let p = format!("{path}.{}", k.name);
                    self.wrong_type(&p, v, "a string");
                }
            }
        }
        out
    }
}
