fn main() {
    std::process::exit(slacredit::cli::main());
}
