use clap::Parser;
use qanda::cli::{Cli, Command};
use qanda::{commands, telemetry};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // Held to the end: dropping it writes out the lines still queued.
    let logs = telemetry::init(&cli.log);
    let result = match cli.command {
        Command::Serve(args) => commands::serve(*args).await,
        Command::Migrate(args) => commands::migrate(args).await,
        Command::Import(args) => commands::import(args).await,
        Command::Export(args) => commands::export(args).await,
        Command::Schema => commands::schema(),
        Command::User(args) => commands::user(args).await,
    };
    // Every queued log line first, then the outcome.
    drop(logs);
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
