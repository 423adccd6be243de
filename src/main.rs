//! The `kbgen` binary: parses the command line and runs it through [`cli`].
//! It is the only place that turns errors into an exit code.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
