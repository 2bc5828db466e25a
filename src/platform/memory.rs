//! How glibc's malloc is set (Linux with glibc only; elsewhere these do nothing): the
//! crate's only `unsafe`.

/// glibc's malloc serves a block of 128 KiB or more with its own mapping, given back to the
/// system when it is freed, but it raises that threshold each time such a block is freed (up
/// to 32 MiB): after the first large list is dropped, the next ones (a million-invoice book's
/// agenda, its lists while they grow) come from the heap, whose freed pages stay resident. Set
/// explicitly, the threshold stays at 128 KiB (measured at 1M: the app's session 74 to 63 MB,
/// `report agenda` 42 to 38 MB; the reports no slower, side by side). Called first in `main`.
pub fn set_at_start() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` takes malloc's own lock and only sets one of its parameters.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// From now on, threads allocate from the main thread's arena instead of each from its own:
/// a thread that shares a pass over the book leaves no arena behind whose freed blocks
/// nothing else uses (`report agenda` at 1M: 31 to 30 MB at its peak). Asked for where a
/// pass starts its thread, not at start: threads that allocate at once then wait for each
/// other (the 1M demo's build, with its helper thread, was 10 % slower).
pub fn one_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: as above; it changes how many arenas threads made later may have.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

/// Gives the heap's free pages back to the system (`malloc_trim`): after a large cache was
/// freed in small blocks, which malloc otherwise keeps for later ones.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` takes malloc's own locks and only releases free memory.
    unsafe {
        libc::malloc_trim(0);
    }
}
