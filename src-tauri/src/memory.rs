//! Handing the heap memory the app has freed back to the system after its bursts of
//! allocation (opening the user's store after the password, loading the spelling lexicon), so
//! a reporter's laptop pays only for what the app still holds.
//!
//! glibc's allocator keeps freed memory in its arenas for the next allocation — one arena per
//! thread that allocated, and the async runtime has several — and gives back only the top of
//! the main heap on its own. `malloc_trim` returns every whole free page of every arena.
//! Measured with the app open on an article (BENCHMARKS.md): some 7 MiB of the app's
//! process were such pages. Elsewhere (macOS, Windows, musl) the allocators return memory
//! their own way and this does nothing.

/// Returns the allocator's free pages to the system (a few milliseconds; call it after a burst,
/// not in a loop).
#[allow(unsafe_code)] // the project's only unsafe code (Cargo.toml's lints)
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases pages the allocator holds free; it takes the
    // allocator's own locks and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    /// This process's resident memory in KiB (`/proc/self/statm`, in pages).
    fn resident_kib() -> u64 {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
        let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
        pages * 4
    }

    #[test]
    fn freed_pages_the_allocator_kept_go_back_to_the_system() {
        // On a thread of its own (an arena of its own, as the runtime's threads have): 64 MiB
        // in blocks small enough to come from the arena, all freed but the last, which keeps
        // the arena from shrinking by itself.
        let (before, after) = std::thread::spawn(|| {
            let mut blocks: Vec<Vec<u8>> = (0..4096).map(|_| vec![1u8; 16 * 1024]).collect();
            let last = blocks.pop();
            drop(blocks);
            let before = resident_kib();
            super::give_back();
            let after = resident_kib();
            drop(last);
            (before, after)
        })
        .join()
        .unwrap();
        assert!(
            before.saturating_sub(after) >= 32 * 1024,
            "resident {before} KiB before, {after} KiB after"
        );
    }
}
