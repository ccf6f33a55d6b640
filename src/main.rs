//! The `handouts` command line: parse arguments, run, print, exit.
//!
//! Exit status: 0 success, 1 invalid input or I/O failure, 2 usage error
//! (clap's own). This is the only place that prints diagnostics.

use clap::{Args, Parser, Subcommand, ValueEnum};
use handouts::commands::{self, BuildOptions, CheckOptions, PacketOptions, Report};
use handouts::diag::Format;
use handouts::model::{Edition, Vars};
use handouts::spec::config::Paper;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// `println!` that carries on when nobody reads the output (`| head`): the
/// files are written by then, and a panic would turn the exit status into
/// 101 (ripgrep does the same).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that carries on when stderr is closed; the exit status
/// still says whether there were errors.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Lay out YAML worksheet specs into print-ready PDF handouts.
#[derive(Parser)]
#[command(name = "handouts", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How to print problems: `human` shows the line and a hint; `short` is
    /// one line each, for editors and CI.
    #[arg(long, global = true, value_enum, default_value = "human")]
    format: FormatArg,
    /// A folder of fonts (.ttf, .otf, .ttc) to look in, before the
    /// system's, for characters the bundled faces lack (repeatable).
    #[arg(long = "font-path", global = true, value_name = "DIR")]
    font_paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Short,
}

#[derive(Subcommand)]
enum Command {
    /// Build a PDF for each worksheet spec (default: every spec in worksheets/).
    #[command(after_help = "Examples:
  handouts build                                   every worksheet in worksheets/ into out/
  handouts build worksheets/atone --paper a4       one stage, on A4
  handouts build my-sheet.yaml --fillable --set partner_a=Sam --set partner_b=Alex")]
    Build(BuildArgs),
    /// Build a session packet: cover, contents, worksheets, bookmarks. With
    /// --roster, one personalised packet per roster row.
    #[command(after_help = "Examples:
  handouts packet worksheets/packets/intensive.yaml --set partner_a=Sam --set partner_b=Alex
  handouts packet worksheets/packets/intensive.yaml --roster couples.csv --duplex
  handouts packet worksheets/packets/atone.yaml --edition facilitator
  handouts packet worksheets/packets/intensive.yaml --roster couples.csv --shard 2/8")]
    Packet {
        /// The packet spec (e.g. worksheets/packets/intensive.yaml).
        packet: PathBuf,
        /// CSV (with a header row) or YAML list: one packet per row.
        #[arg(long)]
        roster: Option<PathBuf>,
        /// A placeholder value, e.g. --set session_date="3 May 2026" (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        /// Folder to write the PDFs into.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Start every worksheet on a right-hand page, with notes pages between.
        #[arg(long)]
        duplex: bool,
        /// Client edition leaves out facilitator-only blocks and worksheets.
        #[arg(long, value_enum, default_value = "client")]
        edition: EditionArg,
        /// Paper size; overrides the project config.
        #[arg(long, value_enum)]
        paper: Option<PaperArg>,
        /// Add form fields over the answer spaces, to type into on screen.
        #[arg(long)]
        fillable: bool,
        /// The large-print edition: 18 pt text, no italics, roomier lines
        /// and boxes; its file name ends in `-large-print`.
        #[arg(long)]
        large_print: bool,
        /// Build only part K of N of the roster (rows K, K+N, K+2N, …), to
        /// spread one roster over machines; files are named as one run
        /// would name them (docs/shards.md).
        #[arg(long, value_name = "K/N", requires = "roster", value_parser = handouts::batch::Shard::parse)]
        shard: Option<handouts::batch::Shard>,
    },
    /// Build, then build again whatever a saved change affects (a live
    /// preview in a PDF viewer that reloads); Ctrl-C ends it.
    #[command(after_help = "Examples:
  handouts watch my-sheet.yaml                     open out/my-sheet.pdf in a viewer that reloads
  handouts watch worksheets/attune --out preview
  handouts watch worksheets --edition facilitator --fillable")]
    Watch(BuildArgs),
    /// Write a starting worksheet that builds as it is, in the config's
    /// language; never overwrites a file.
    #[command(after_help = "Examples:
  handouts new worksheets/attune/attune-5-our-new-sheet.yaml --stage attune --for both
  handouts new my-sheet.yaml --for hurt-partner")]
    New {
        /// The new worksheet spec (a .yaml file that does not exist yet).
        file: PathBuf,
        /// Its stage.
        #[arg(long, value_enum, default_value = "overview")]
        stage: StageArg,
        /// Who fills it in.
        #[arg(long = "for", value_enum, default_value = "both")]
        role: RoleArg,
    },
    /// Print the JSON Schema of worksheet and packet specs (for editors).
    #[command(after_help = "Examples:
  handouts schema > schema/handouts.schema.json      then start a spec with
                                                     # yaml-language-server: $schema=schema/handouts.schema.json
  handouts schema | python3 -m json.tool | less      to read it")]
    Schema,
    /// Print a shell's completion script for handouts.
    #[command(after_help = "Examples:
  handouts completions bash > ~/.local/share/bash-completion/completions/handouts
  handouts completions zsh > ~/.zfunc/_handouts
  handouts completions fish > ~/.config/fish/completions/handouts.fish
  handouts completions powershell >> $PROFILE")]
    Completions {
        /// The shell: bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man`.
    #[command(after_help = "Examples:
  handouts man > handouts.1 && man ./handouts.1
  handouts man > /usr/local/share/man/man1/handouts.1")]
    Man,
    /// Check worksheet specs and the project config without writing anything.
    #[command(after_help = "Examples:
  handouts check                                   every spec in worksheets/
  handouts check my-sheet.yaml --verbose           with its reading level and pages
  handouts check worksheets/packets/intensive.yaml --roster couples.csv")]
    Check {
        /// Worksheet and packet specs, rosters (.csv), handouts.yaml, or
        /// folders of specs.
        #[arg(default_value = "worksheets")]
        paths: Vec<PathBuf>,
        /// Also print each worksheet's reading grade and page count.
        #[arg(long, short)]
        verbose: bool,
        /// Placeholder values to check with, e.g. --set partner_a=Sam (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        sets: Vec<String>,
        /// Check every row of this roster (CSV or YAML) against the packets
        /// named, writing nothing.
        #[arg(long)]
        roster: Option<PathBuf>,
    },
}

/// What `build` and `watch` build.
#[derive(Args)]
struct BuildArgs {
    /// Worksheet specs, or folders of them.
    #[arg(default_value = "worksheets")]
    paths: Vec<PathBuf>,
    /// Folder to write the PDFs into.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Paper size; overrides the project config.
    #[arg(long, value_enum)]
    paper: Option<PaperArg>,
    /// Client edition leaves out notes marked `only: facilitator`.
    #[arg(long, value_enum, default_value = "client")]
    edition: EditionArg,
    /// A placeholder value, e.g. --set partner_a=Sam (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// Add form fields over the answer spaces, to type into on screen.
    #[arg(long)]
    fillable: bool,
    /// The large-print edition: 18 pt text, no italics, roomier lines
    /// and boxes; its file name ends in `-large-print`.
    #[arg(long)]
    large_print: bool,
}

impl BuildArgs {
    fn options(self, date: Option<i64>) -> Result<BuildOptions, String> {
        Ok(BuildOptions {
            paths: self.paths,
            out: self.out,
            paper: self.paper.map(Paper::from),
            date,
            edition: self.edition.into(),
            sets: parse_sets(self.sets)?,
            fillable: self.fillable,
            large_print: self.large_print,
        })
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum StageArg {
    Overview,
    Atone,
    Attune,
    Attach,
}

#[derive(Clone, Copy, ValueEnum)]
enum RoleArg {
    Both,
    HurtPartner,
    InvolvedPartner,
    Therapist,
}

#[derive(Clone, Copy, ValueEnum)]
enum EditionArg {
    Client,
    Facilitator,
}

#[derive(Clone, Copy, ValueEnum)]
enum PaperArg {
    Letter,
    A4,
}

impl From<EditionArg> for Edition {
    fn from(e: EditionArg) -> Edition {
        match e {
            EditionArg::Client => Edition::Client,
            EditionArg::Facilitator => Edition::Facilitator,
        }
    }
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
    private_panics();
    match run() {
        Ok(code) => code,
        Err(msg) => {
            // clap would repeat the argument, and a --set value may be a
            // client's name: the message names the flag only.
            tell!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// A bug is reported by where in the code it was met, without its
/// message: that may quote what was being set, a client's name perhaps,
/// and names go on pages only. Each place is said once, however many rows
/// of a batch meet it there (each of those fails alone, and says so).
fn private_panics() {
    use std::sync::Mutex;
    static SAID: Mutex<Vec<(String, u32)>> = Mutex::new(Vec::new());
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| (l.file().to_owned(), l.line()));
        if let Some(p) = &place {
            let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
            if said.contains(p) {
                return;
            }
            said.push(p.clone());
        }
        let at = place
            .map(|(file, line)| format!(" at {file}:{line}"))
            .unwrap_or_default();
        let line = format!("error: handouts met a bug{at}; please report it (its message is not shown: it may hold a client's name)");
        // Above a batch's progress bar, once the row is caught: under it,
        // the bar's next draw would wipe it.
        if !handouts::batch::hold_above_progress(line.clone()) {
            tell!("{line}");
        }
    }));
}

/// `--set` values, checked here rather than by clap so that a bad one is
/// never printed back.
fn parse_sets(sets: Vec<String>) -> Result<Vars, String> {
    sets.iter()
        .map(|s| parse_set(s).map_err(|e| format!("--set: {e}")))
        .collect()
}

fn run() -> Result<ExitCode, String> {
    let cli = Cli::parse();
    let format = match cli.format {
        FormatArg::Human => Format::Human,
        FormatArg::Short => Format::Short,
    };
    if let Some(bad) = cli.font_paths.iter().find(|d| !d.is_dir()) {
        tell!(
            "error: --font-path {}: there is no such folder",
            bad.display()
        );
        return Ok(ExitCode::from(1));
    }
    handouts::fonts::found::add_folders(&cli.font_paths);
    // Only commands that write files stamp them with a date.
    let date = match cli.command {
        Command::Build { .. } | Command::Packet { .. } => match source_date_epoch() {
            Ok(d) => d,
            Err(msg) => {
                tell!("error: {msg}");
                return Ok(ExitCode::from(1));
            }
        },
        _ => None,
    };
    let report = match cli.command {
        Command::Build(args) => {
            let r = commands::build(&args.options(date)?);
            print_written(&r);
            r
        }
        Command::Packet {
            packet,
            roster,
            sets,
            out,
            duplex,
            edition,
            paper,
            fillable,
            large_print,
            shard,
        } => {
            let r = commands::packet(&PacketOptions {
                packet,
                roster: roster.clone(),
                sets: parse_sets(sets)?,
                out,
                paper: paper.map(Paper::from),
                duplex,
                edition: edition.into(),
                date,
                progress: std::io::stderr().is_terminal(),
                fillable,
                large_print,
                shard,
            });
            if roster.is_none() {
                print_written(&r);
            }
            r
        }
        Command::Schema => {
            return print_all(handouts::spec::schema::json().as_bytes(), "the schema");
        }
        Command::Watch(args) => {
            let opts = args.options(None)?;
            let result = handouts::watch::watch(&opts, |r| {
                print_written(r);
                finish(r, format);
                if r.failed() {
                    tell!("watching: the last good PDFs are kept; save again to rebuild");
                } else {
                    tell!("watching for changes (Ctrl-C to stop)");
                }
            });
            match result {
                Ok(()) => return Ok(ExitCode::SUCCESS),
                Err(d) => Report {
                    diagnostics: vec![d],
                    ..Report::default()
                },
            }
        }
        Command::New { file, stage, role } => {
            // The names clap parsed them from are the spec's own ids.
            let stage = stage.to_possible_value().expect("no skipped values");
            let role = role.to_possible_value().expect("no skipped values");
            commands::new_worksheet(&file, stage.get_name(), role.get_name())
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            // Into memory first: `generate` panics when it cannot write.
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "handouts", &mut out);
            return print_all(&out, "the completions");
        }
        Command::Man => {
            use clap::CommandFactory;
            let man = clap_mangen::Man::new(Cli::command());
            let mut out = Vec::new();
            man.render(&mut out)
                .and_then(|()| {
                    // Each subcommand's page after the main one.
                    for sub in Cli::command().get_subcommands() {
                        let name = format!("handouts-{}", sub.get_name());
                        let sub = sub.clone().display_name(name);
                        clap_mangen::Man::new(sub).render(&mut out)?;
                    }
                    Ok(())
                })
                .map_err(|e| {
                    format!("cannot write the manual: {}", handouts::diag::io_reason(&e))
                })?;
            return print_all(&out, "the manual");
        }
        Command::Check {
            paths,
            verbose,
            sets,
            roster,
        } => {
            let r = commands::check(
                &paths,
                &CheckOptions {
                    sets: parse_sets(sets)?,
                    roster,
                },
            );
            if verbose {
                for d in &r.details {
                    say!("{d}");
                }
            }
            if !r.failed() {
                let s = if r.ok == 1 { "" } else { "s" };
                say!("checked {} file{s}: no errors", r.ok);
            }
            r
        }
    };
    Ok(finish(&report, format))
}

/// Writes a command's whole output to stdout. A reader that stops early
/// (`handouts schema | head`) is not an error, as for `cat`; any other
/// failure (a full disk) is an I/O failure, status 1.
fn print_all(bytes: &[u8], what: &str) -> Result<ExitCode, String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => {
            tell!(
                "error: cannot write {what}: {}",
                handouts::diag::io_reason(&e)
            );
            Ok(ExitCode::from(1))
        }
    }
}

fn print_written(report: &Report) {
    for (path, pages) in &report.written {
        let s = if *pages == 1 { "" } else { "s" };
        say!("wrote {} ({pages} page{s})", path.display());
    }
}

fn finish(report: &Report, format: Format) -> ExitCode {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut sources: std::collections::HashMap<PathBuf, Option<String>> = Default::default();
    for d in &report.diagnostics {
        let src = match d.line_col {
            Some(_) if format == Format::Human && d.quote_source => sources
                .entry(d.path.clone())
                .or_insert_with(|| handouts::spec::read_source(&d.path).ok())
                .as_deref(),
            _ => None,
        };
        tell!("{}", d.render(format, src, color));
    }
    if let Some(s) = &report.summary {
        say!("{s}");
    }
    if report.failed() {
        let n = report.diagnostics.iter().filter(|d| d.is_error()).count();
        let s = if n == 1 { "" } else { "s" };
        tell!("{n} error{s}");
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `KEY=VALUE` for `--set`.
fn parse_set(s: &str) -> Result<(String, String), String> {
    // The value may be a client's name: messages never repeat it.
    let (k, v) = s
        .split_once('=')
        .ok_or("expected KEY=VALUE: a placeholder name, `=`, then its value")?;
    let k = k.trim();
    if k.is_empty()
        || !k
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return Err(
            "the part before `=` must be a placeholder name (letters, digits, _ and -)".into(),
        );
    }
    Ok((k.to_owned(), v.trim().to_owned()))
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
