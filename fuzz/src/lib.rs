//! Shared by the fuzz targets: an allocator that records the largest single allocation made
//! while handling one input, relative to that input's size, and says so whenever a new
//! largest ratio is seen (`fuzz/run` reports the last one per target).
//!
//! A parser that allocates in proportion to a length field rather than to the bytes it was
//! given shows up here long before it exhausts memory.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The allocator the targets install with `#[global_allocator]`.
pub struct Measuring;

static INPUT_LEN: AtomicUsize = AtomicUsize::new(0);
static LARGEST: AtomicUsize = AtomicUsize::new(0);
static BEST_RATIO_MILLI: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Measuring {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Runs `f` on `data`, measuring the largest allocation it makes.
pub fn measured(data: &[u8], f: impl FnOnce(&[u8])) {
    INPUT_LEN.store(data.len(), Ordering::Relaxed);
    LARGEST.store(0, Ordering::Relaxed);
    f(data);
    let largest = LARGEST.load(Ordering::Relaxed);
    // Per byte of input, in thousandths; inputs under 64 bytes count as 64, since any
    // allocation at all is "large" next to a 1-byte input.
    let ratio = largest.saturating_mul(1000) / data.len().max(64);
    if ratio > BEST_RATIO_MILLI.fetch_max(ratio, Ordering::Relaxed) {
        eprintln!(
            "keepwatch-fuzz: largest allocation {largest} bytes for a {}-byte input ({}.{:03} per byte)",
            data.len(),
            ratio / 1000,
            ratio % 1000
        );
    }
}
