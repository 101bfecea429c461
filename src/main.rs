//! The `slacredit` command: a client of the library's public API (`cli` parses and prints).

mod cli;

fn main() {
    std::process::exit(cli::main());
}
