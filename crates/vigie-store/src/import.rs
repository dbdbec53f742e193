//! Streaming import of an export document: each project is written as soon as it is read,
//! so memory holds one project (and one snapshot's catalog) at a time, never the document.
//!
//! The document must give `format` and `version` before `snapshots`, and each snapshot its
//! `id` and `meta` before its `entities`, `relations` and `projects`, as the export writes
//! them; anything else is refused.
//!
//! Backend-neutral: the document is read here and written through the backend's
//! [`ImportSink`] (one transaction: a failure leaves the store empty).

use std::cell::RefCell;
use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::exchange::{EXPORT_FORMAT_VERSION, FORMAT};
use crate::storage::Storage;
use crate::triage::{TriageInput, TriageRecord};
use crate::{EntityRecord, Error, ProjectData, RelationRecord, SnapshotId, SnapshotMeta};

/// Where an import writes, in one transaction that [`commit`](Self::commit) makes visible
/// (dropped without it, nothing is kept). Snapshots come one at a time: `snapshot`, then its
/// catalog and projects, then `end_snapshot`.
pub(crate) trait ImportSink {
    /// Starts snapshot `id`.
    fn snapshot(&mut self, id: SnapshotId, meta: &SnapshotMeta) -> crate::Result<()>;
    /// Adds catalog elements and relations to the snapshot started.
    fn entities(
        &mut self,
        entities: &[EntityRecord],
        relations: &[RelationRecord],
    ) -> crate::Result<()>;
    /// Adds a project to the snapshot started.
    fn project(&mut self, project: &ProjectData) -> crate::Result<()>;
    /// Ends the snapshot started (links, postings, directory).
    fn end_snapshot(&mut self) -> crate::Result<()>;
    /// Adds a triage decision with its id (validated by the caller).
    fn triage(&mut self, id: i64, input: &TriageInput) -> crate::Result<()>;
    /// Makes everything visible.
    fn commit(self: Box<Self>) -> crate::Result<()>;
}

/// What the visitors share: the backend's sink and the first store error (kept typed).
struct Ctx<'c> {
    sink: RefCell<Box<dyn ImportSink + 'c>>,
    error: RefCell<Option<Error>>,
}

impl Ctx<'_> {
    /// Keeps a store error for the caller and turns it into a deserialisation error.
    fn fail<E: de::Error>(&self, e: Error) -> E {
        let msg = e.to_string();
        self.error.borrow_mut().get_or_insert(e);
        E::custom(msg)
    }
}

/// The whole document.
struct DocSeed<'a, 'c>(&'a Ctx<'c>);

impl<'de> DeserializeSeed<'de> for DocSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a vigie store export")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.0;
        let (mut format_ok, mut version_ok) = (false, false);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => {
                    let f: String = map.next_value()?;
                    if f != FORMAT {
                        let e = Error::Invalid(format!("not a vigie store export (format {f:?})"));
                        return Err(ctx.fail(e));
                    }
                    format_ok = true;
                }
                "version" => {
                    let v: u32 = map.next_value()?;
                    if v != EXPORT_FORMAT_VERSION {
                        let e = Error::Invalid(format!(
                            "export format version {v} is not {EXPORT_FORMAT_VERSION}"
                        ));
                        return Err(ctx.fail(e));
                    }
                    version_ok = true;
                }
                "snapshots" if format_ok && version_ok => map.next_value_seed(Snapshots(ctx))?,
                "snapshots" => {
                    let e = Error::Invalid("format and version must come before snapshots".into());
                    return Err(ctx.fail(e));
                }
                "triage" => {
                    for t in map.next_value::<Vec<TriageRecord>>()? {
                        crate::triage::validate(&t.input)
                            .and_then(|()| ctx.sink.borrow_mut().triage(t.id, &t.input))
                            .map_err(|e| ctx.fail(e))?;
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !(format_ok && version_ok) {
            return Err(ctx.fail(Error::Invalid("not a vigie store export".into())));
        }
        Ok(())
    }
}

struct Snapshots<'a, 'c>(&'a Ctx<'c>);

impl<'de> DeserializeSeed<'de> for Snapshots<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Snapshots<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of snapshots")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Snapshot(self.0))?.is_some() {}
        Ok(())
    }
}

struct Snapshot<'a, 'c>(&'a Ctx<'c>);

impl<'de> DeserializeSeed<'de> for Snapshot<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Snapshot<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a snapshot")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ctx = self.0;
        let mut id: Option<SnapshotId> = None;
        let mut started = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => id = Some(map.next_value()?),
                "meta" => {
                    let meta: SnapshotMeta = map.next_value()?;
                    let Some(id) = id.filter(|_| !started) else {
                        let e = Error::Invalid("a snapshot's id must come before its meta".into());
                        return Err(ctx.fail(e));
                    };
                    let begun = ctx.sink.borrow_mut().snapshot(id, &meta);
                    begun.map_err(|e| ctx.fail(e))?;
                    started = true;
                }
                "entities" | "relations" | "projects" => {
                    if !started {
                        let e = Error::Invalid(format!("a snapshot's {key} before its meta"));
                        return Err(ctx.fail(e));
                    }
                    match key.as_str() {
                        "entities" => {
                            let v: Vec<EntityRecord> = map.next_value()?;
                            let added = ctx.sink.borrow_mut().entities(&v, &[]);
                            added.map_err(|e| ctx.fail(e))?;
                        }
                        "relations" => {
                            let v: Vec<RelationRecord> = map.next_value()?;
                            let added = ctx.sink.borrow_mut().entities(&[], &v);
                            added.map_err(|e| ctx.fail(e))?;
                        }
                        _ => map.next_value_seed(Projects(ctx))?,
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !started {
            return Err(ctx.fail(Error::Invalid("a snapshot without id or meta".into())));
        }
        let ended = ctx.sink.borrow_mut().end_snapshot();
        ended.map_err(|e| ctx.fail(e))
    }
}

struct Projects<'a, 'c>(&'a Ctx<'c>);

impl<'de> DeserializeSeed<'de> for Projects<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Projects<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of projects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let ctx = self.0;
        while let Some(p) = seq.next_element::<ProjectData>()? {
            let added = ctx.sink.borrow_mut().project(&p);
            added.map_err(|e| ctx.fail(e))?;
        }
        Ok(())
    }
}

/// Reads an export into the empty store `s`, in one transaction.
pub(crate) fn import(s: &mut dyn Storage, input: &mut dyn Read) -> crate::Result<()> {
    let ctx = Ctx {
        sink: RefCell::new(s.begin_import()?),
        error: RefCell::new(None),
    };
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(input));
    let read = DeserializeSeed::deserialize(DocSeed(&ctx), &mut de).and_then(|()| de.end());
    if let Err(e) = read {
        return Err(ctx.error.into_inner().unwrap_or(Error::Json(e)));
    }
    ctx.sink.into_inner().commit()
}
