//! The `handouts` command line: parse arguments, run, print, exit.
//!
//! Exit status: 0 success, 1 invalid input or I/O failure, 2 usage error
//! (clap's own). This is the only place that prints diagnostics.

use clap::{Parser, Subcommand, ValueEnum};
use handouts::commands::{self, BuildOptions, Report};
use handouts::spec::config::Paper;
use std::path::PathBuf;
use std::process::ExitCode;

/// Lay out YAML worksheet specs into print-ready PDF handouts.
#[derive(Parser)]
#[command(name = "handouts", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a PDF for each worksheet spec (default: every spec in worksheets/).
    Build {
        /// Worksheet specs, or folders of them.
        #[arg(default_value = "worksheets")]
        paths: Vec<PathBuf>,
        /// Folder to write the PDFs into.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Paper size; overrides the project config.
        #[arg(long, value_enum)]
        paper: Option<PaperArg>,
    },
    /// Check worksheet specs and the project config without writing anything.
    Check {
        /// Worksheet specs, or folders of them.
        #[arg(default_value = "worksheets")]
        paths: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum PaperArg {
    Letter,
    A4,
}

impl From<PaperArg> for Paper {
    fn from(p: PaperArg) -> Paper {
        match p {
            PaperArg::Letter => Paper::Letter,
            PaperArg::A4 => Paper::A4,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let report = match cli.command {
        Command::Build { paths, out, paper } => {
            let date = match source_date_epoch() {
                Ok(d) => d,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    return ExitCode::from(1);
                }
            };
            let r = commands::build(&BuildOptions {
                paths,
                out,
                paper: paper.map(Paper::from),
                date,
            });
            for (path, pages) in &r.written {
                let s = if *pages == 1 { "" } else { "s" };
                println!("wrote {} ({pages} page{s})", path.display());
            }
            r
        }
        Command::Check { paths } => {
            let r = commands::check(&paths);
            if !r.failed() {
                let s = if r.ok == 1 { "" } else { "s" };
                println!("checked {} worksheet{s}: no errors", r.ok);
            }
            r
        }
    };
    finish(&report)
}

fn finish(report: &Report) -> ExitCode {
    for d in &report.diagnostics {
        eprintln!("{d}");
    }
    if report.failed() {
        let n = report.diagnostics.iter().filter(|d| d.is_error()).count();
        let s = if n == 1 { "" } else { "s" };
        eprintln!("{n} error{s}");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `SOURCE_DATE_EPOCH`, the reproducible-builds convention for dates.
fn source_date_epoch() -> Result<Option<i64>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (0..=253_402_300_799).contains(s))
            .map(Some)
            .ok_or_else(|| format!("SOURCE_DATE_EPOCH must be seconds since 1970, found `{v}`")),
        Err(_) => Ok(None),
    }
}
