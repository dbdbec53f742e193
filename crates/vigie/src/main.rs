//! The `vigie` binary: glue between the command line and the library crates.

fn main() {
    println!("vigie");
}
