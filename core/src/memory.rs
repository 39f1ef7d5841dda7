//! Memory handed back to the system once it is freed. A transcription with the base model holds
//! 350–500 MB (whisper.cpp's weights and buffers); with glibc's malloc about 95 MB of it stayed
//! with the process after the model was dropped. Every Candor binary allocates through jemalloc
//! instead (C and C++ code included), whose background thread returns freed pages within seconds.

// Not under cargo-fuzz: AddressSanitizer must see every allocation (jemalloc under it crashed
// at start-up).
#[cfg(all(not(target_env = "msvc"), not(fuzzing)))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Starts the allocator's background thread, which returns freed pages to the system after about
/// ten seconds unused; called where a long-running process begins to transcribe. Once is enough;
/// more is harmless.
pub fn give_back_freed_memory() {
    #[cfg(all(not(target_env = "msvc"), not(fuzzing)))]
    if let Err(e) = tikv_jemalloc_ctl::background_thread::write(true) {
        log::warn!("freed memory will not be handed back to the system: {e}");
    }
}

#[cfg(all(test, not(target_env = "msvc"), not(fuzzing)))]
mod tests {
    #[test]
    fn the_background_thread_starts() {
        super::give_back_freed_memory();
        assert_eq!(
            tikv_jemalloc_ctl::background_thread::read().ok(),
            Some(true)
        );
    }
}
