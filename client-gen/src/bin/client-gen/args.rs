//! Command-line arguments: the subcommand, its inputs (each with the format it must have),
//! the allow-list and the generation options.

use std::path::PathBuf;

use client_gen::input::{Format, Input};
use client_gen::select::{Entry, Selection};
use client_gen::settings::{EnumStyle, Layout, SerdeStyle};
use client_gen::Settings;

pub enum Command {
    Generate(GenerateArgs),
    Inspect(InspectArgs),
    Help,
}

pub struct GenerateArgs {
    pub inputs: Vec<Input>,
    pub out: PathBuf,
    pub check: bool,
    pub manifest: Option<PathBuf>,
    pub default_features: Vec<String>,
    pub settings: Settings,
}

pub struct InspectArgs {
    pub inputs: Vec<Input>,
    pub select: Selection,
}

/// A usage error: the message, printed above the usage text.
pub struct Usage(pub String);

impl From<client_gen::Error> for Usage {
    fn from(e: client_gen::Error) -> Self {
        Usage(e.to_string())
    }
}

/// Parses `args` (without the program name).
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, Usage> {
    let mut args = args.into_iter();
    let command = match args.next().as_deref() {
        Some("generate") => "generate",
        Some("inspect") => "inspect",
        Some("--help") | Some("-h") | Some("help") => return Ok(Command::Help),
        None => return Err(Usage(String::new())),
        Some(other) => return Err(Usage(format!("unknown command {other:?}"))),
    };
    let mut inputs = Vec::new();
    let mut select = Selection::default();
    let mut out = None;
    let mut check = false;
    let mut manifest = None;
    let mut default_features = Vec::new();
    let mut settings = Settings::default();
    let generate = command == "generate";
    while let Some(arg) = args.next() {
        // `--opt=value` is the same as `--opt value`.
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| -> Result<String, Usage> {
            match inline.clone().or_else(|| args.next()) {
                Some(v) => Ok(v),
                None => Err(Usage(format!("{what} needs a value"))),
            }
        };
        let mut input =
            |format: Option<Format>, v: String| inputs.push(Input { pattern: v, format });
        match name.as_str() {
            "--openapi" => input(Some(Format::OpenApiV2), value(&name)?),
            "--crd" => input(Some(Format::Crd), value(&name)?),
            "--discovery" => input(Some(Format::Discovery), value(&name)?),
            "--describe" => input(Some(Format::Describe), value(&name)?),
            "--group" => {
                for g in list(&value(&name)?) {
                    select.entries.push(Entry::group(&g));
                }
            }
            "--version" => {
                for v in list(&value(&name)?) {
                    select.entries.push(Entry::version(&v)?);
                }
            }
            "--resource" => {
                for r in list(&value(&name)?) {
                    select.entries.push(Entry::resource(&r)?);
                }
            }
            "--help" | "-h" => return Ok(Command::Help),
            "--out" if generate => out = Some(PathBuf::from(value(&name)?)),
            "--check" if generate => check = true,
            "--feature-gates" if generate => settings.feature_gates = true,
            "--rustfmt-skip" if generate => settings.rustfmt_skip = true,
            "--manifest" if generate => manifest = Some(PathBuf::from(value(&name)?)),
            "--default-features" if generate => default_features = list(&value(&name)?),
            "--single-file" if generate => settings.layout = Layout::SingleFile,
            "--compact-serde" if generate => settings.serde = SerdeStyle::Compact,
            "--types-only" if generate => settings.clients = false,
            "--closed-enums" if generate => settings.enums = EnumStyle::Closed,
            "--extern-group" | "--reexport-group" if generate => {
                for e in list(&value(&name)?) {
                    let mut group = client_gen::ExternGroup::parse(&e)?;
                    group.reexport = name == "--reexport-group";
                    settings.extern_groups.push(group);
                }
            }
            other if other.starts_with('-') => {
                return Err(Usage(format!("unknown option {other:?} for {command}")))
            }
            // `inspect FILE...`: a bare path is an input of any format.
            _ if !generate => input(None, arg),
            _ => {
                return Err(Usage(format!(
                    "unexpected argument {arg:?}: give inputs with --openapi, --crd, --discovery or --describe"
                )))
            }
        }
    }
    if inputs.is_empty() {
        return Err(Usage(format!(
            "{command} needs at least one input: --openapi, --crd, --discovery or --describe FILE"
        )));
    }
    if !generate {
        return Ok(Command::Inspect(InspectArgs { inputs, select }));
    }
    let out = out.ok_or_else(|| Usage("--out DIR is required".to_owned()))?;
    settings.select = select;
    Ok(Command::Generate(GenerateArgs {
        inputs,
        out,
        check,
        manifest,
        default_features,
        settings,
    }))
}

/// `a,b` -> `[a, b]`.
fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
