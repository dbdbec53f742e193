//! Helpers of the download tests: a progress recorder, one sync as the binary runs it, and
//! comparisons of a mirror with the reference data.

use std::cell::RefCell;
use std::fs;
use std::path::Path;

use super::manifest_sha256;
use vigie_sync::{
    DownloadReport, FileMeta, Generation, Generations, Limits, Outcome, Progress, Source,
    SyncError, download_mirror,
};

/// One file's progress: path, announced total, bytes advanced, outcome once finished.
pub type Event = (String, Option<u64>, u64, Option<Outcome>);

/// Records every progress event.
#[derive(Default)]
pub struct Recorder(pub RefCell<Vec<Event>>);

impl Progress for Recorder {
    fn start(&self, path: &str, total: Option<u64>) {
        self.0.borrow_mut().push((path.to_string(), total, 0, None));
    }
    fn advance(&self, bytes: u64) {
        if let Some(last) = self.0.borrow_mut().last_mut() {
            last.2 += bytes;
        }
    }
    fn finish(&self, path: &str, outcome: Outcome) {
        let mut events = self.0.borrow_mut();
        let last = events.last_mut().expect("finish after start");
        assert_eq!(last.0, path, "finish of the file started");
        assert_eq!(last.3, None, "one finish per start");
        last.3 = Some(outcome);
    }
}

/// One sync as the binary runs it: begin, download against the current generation, commit.
pub fn sync(
    gens: &Generations,
    sources: &[Source],
    limits: &Limits,
    progress: &dyn Progress,
) -> Result<(Generation, DownloadReport), SyncError> {
    let previous = gens.current().expect("current");
    let partial = gens.begin().expect("begin");
    let report = download_mirror(
        sources,
        previous.as_ref().map(|g| g.mirror_dir()).as_deref(),
        &partial.mirror_dir(),
        limits,
        progress,
    )?;
    Ok((partial.commit().expect("commit"), report))
}

/// Asserts the mirror of `g` holds exactly the data's bytes for every source (the mirror
/// layout is the data's layout), with SHA-256 as listed in MANIFEST.sha256.
pub fn assert_same_as_data(g: &Generation, sources: &[Source], data: &Path) {
    for s in sources {
        let got = fs::read(g.mirror_dir().join(s.path())).expect("mirror file");
        let want = fs::read(data.join(s.path())).expect("data file");
        assert!(got == want, "{} differs from the data", s.path());
        let meta = FileMeta::load(&g.mirror_dir(), s.path()).expect("metadata");
        assert_eq!(meta.sha256, manifest_sha256(data, s.path()), "{}", s.path());
        assert_eq!(meta.size, want.len() as u64);
        assert_eq!(meta.url, s.url());
        assert!(meta.etag.is_some() || meta.last_modified.is_some());
    }
}

/// Asserts a failed sync left the data directory as it was after `good`.
pub fn assert_untouched(gens: &Generations, good: &Generation, sources: &[Source], data: &Path) {
    let current = fs::read_to_string(gens.data_dir().join("CURRENT")).expect("CURRENT");
    assert_eq!(current, format!("{}\n", good.id()));
    assert_eq!(gens.list().expect("list"), std::slice::from_ref(good));
    let leftovers: Vec<_> = fs::read_dir(gens.data_dir().join("generations"))
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_same_as_data(good, sources, data);
}
