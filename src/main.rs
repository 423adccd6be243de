//! The `kbgen` binary: parses the command line and runs it through [`cli`].
//! It is the only place that turns errors into an exit code.

mod cli;

// Rendering allocates many small strings on every thread; mimalloc keeps that
// from serializing on the system allocator's locks (measured: see README).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
