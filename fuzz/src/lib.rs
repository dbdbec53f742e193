//! What vigie's fuzz targets share: the memory budget every target runs under, and the
//! conventions that let one input hold several files.
//!
//! **Budget.** libFuzzer's `-malloc_limit_mb` needs a sanitizer's allocation hooks, and the
//! targets are built without one (`--sanitizer none`: the code is safe Rust). So the budget
//! is kept here, by the global allocator of every target: while [`run`] runs a target on an
//! input of `n` bytes, the live heap may grow by at most `10 × n + 64 MiB` (the product's
//! rule: memory under ten times the input plus a constant, ARCHITECTURE.md); one byte more and
//! the process aborts with the figures, which libFuzzer reports as a crash and keeps the input.
//!
//! **Several files in one input.** Readers that follow other files (a parent POM, `go.sum`,
//! a `-r` include) get them from a [`MemorySource`] built from the same input: the input is
//! split at each `\0\0`; the first part is the file read, each later part is `path\ntext`,
//! a file of the same tree.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use vigie_discovery::{MemorySource, Reader};

/// The constant part of the budget: what a target may use whatever the input's size.
pub const BUDGET_CONSTANT: usize = 64 << 20;

/// The allocator of every target: the system's, counting the live heap against [`run`]'s
/// budget.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    let limit = LIMIT.load(Relaxed);
    if live > limit {
        // No allocation from here on: the message is formatted on the stack by eprintln.
        LIMIT.store(usize::MAX, Relaxed);
        eprintln!(
            "vigie-fuzz: live heap {live} bytes, over the budget of {limit} bytes \
             (10 x input + {BUDGET_CONSTANT}): aborting"
        );
        std::process::abort();
    }
}

// SAFETY: every call is forwarded unchanged to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            grew(new_size - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Relaxed);
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Runs `f` on an input of `len` bytes under the budget (`10 × len + BUDGET_CONSTANT` bytes of
/// heap on top of what is live before).
pub fn run<T>(len: usize, f: impl FnOnce() -> T) -> T {
    let base = LIVE.load(Relaxed);
    let limit = base
        .saturating_add(len.saturating_mul(10))
        .saturating_add(BUDGET_CONSTANT);
    LIMIT.store(limit, Relaxed);
    let out = f();
    LIMIT.store(usize::MAX, Relaxed);
    out
}

/// The input as text, or nothing (vigie reads files as UTF-8 and refuses the others).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// The parts of an input split at each `\0\0`.
pub fn parts(text: &str) -> std::str::Split<'_, &'static str> {
    text.split("\0\0")
}

/// Runs `reader` on the first part of `data` as the file `path`, the other parts being the
/// files of its tree, and checks what the product promises of every reader's output: edges
/// between components that exist, and canonical purls.
pub fn read(reader: &Reader, path: &str, data: &[u8]) {
    if let Some(sniff) = reader.sniff {
        let name = path.rsplit('/').next().unwrap_or(path);
        run(data.len(), || sniff(name, data));
    }
    let Some(text) = text(data) else {
        return;
    };
    let mut parts = parts(text);
    let main = parts.next().unwrap_or_default();
    let mut files = MemorySource::new();
    for part in parts {
        if let Some((p, t)) = part.split_once('\n') {
            files = files.with(p, t);
        }
    }
    let out = run(data.len(), || {
        vigie_discovery::read_file_as(reader, path, main, &files)
    });
    let n = out.components.len() as u32;
    for &(a, b) in &out.dependencies {
        assert!(a < n && b < n, "edge ({a}, {b}) of {n} components");
    }
    for c in &out.components {
        // Lenient: a reader may keep a purl that breaks its type's rules (a Maven artifact
        // without a group) rather than lose the component; the syntax is always checked.
        let purl = vigie_model::Purl::parse_lenient(&c.purl)
            .unwrap_or_else(|e| panic!("{:?}: not a purl: {e}", c.purl));
        assert_eq!(
            purl.to_string(),
            c.purl,
            "a component's purl is not canonical"
        );
    }
}

/// The bytes after the first (the selector of targets that hold several parsers).
pub fn split_first(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((&b, rest)) => (b, rest),
        None => (0, data),
    }
}
