//! Command-line arguments on clap's derive API: the subcommands, their inputs (each with the
//! format it must have), the allow-list and the generation options.

use std::path::PathBuf;

use clap::parser::ArgMatches;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use client_gen::cluster::Cluster;
use client_gen::input::{Format, Input};
use client_gen::select::{Entry, Selection};
use client_gen::settings::{EnumStyle, Layout, SerdeStyle};
use client_gen::{ExternGroup, Settings};

const ABOUT: &str =
    "client-gen: typed Rust clients (on rest-core) from Kubernetes-style API descriptions";

/// Shown under the top-level help: what every subcommand takes, exit codes, examples.
const AFTER_HELP: &str = "\
inputs (generate and inspect; repeatable, any mix; globs such as 'crds/*.yaml' are expanded, sorted):
  --openapi FILE          an OpenAPI v2 (swagger.json) or v3 document
  --crd FILE              CustomResourceDefinition manifests, YAML or JSON, several per file
  --discovery FILE        discovery documents (APIResourceList, APIGroupDiscoveryList)
  --describe FILE         hand-written API descriptions (kind: APIDescription)
  --from-cluster          a running server's discovery and /openapi/v3 (else /openapi/v2),
                          found as kubectl finds it, or with --kubeconfig FILE, --context NAME
  (inspect also takes bare FILEs, of any of these formats)

allow-lists (repeatable or comma-separated; default: everything the inputs describe):
  --group G               cert-manager.io, apps, core
  --version G/V           apps/v1, v1 (core)
  --resource R            apps/v1/deployments, v1/pods, certificates.cert-manager.io, pods

exit codes: 0 done (or up to date), 1 stale (--check), 2 bad input or usage

examples:
  client-gen inspect fixtures/crds/cert-manager.io_certificates.yaml
  client-gen generate --crd 'fixtures/crds/*.yaml' --resource certificates.cert-manager.io --out src/k8s
  client-gen generate --help     # every option
  client-gen completions bash > /etc/bash_completion.d/client-gen";

const GENERATE_EXAMPLES: &str = "\
exit codes: 0 done (or up to date), 1 stale (--check), 2 bad input or usage

examples:
  client-gen generate --crd 'fixtures/crds/*.yaml' --resource certificates.cert-manager.io --out src/k8s
  client-gen generate --openapi swagger.json --discovery apis-apps-v1.json --out src/api --check
  client-gen generate --from-cluster --context kind-dev --group apps --out src/api
  client-gen generate --openapi fixtures/openapi/kubernetes-swagger.json --crd 'fixtures/crds/*.yaml' \\
      --out generated/src --feature-gates --rustfmt-skip --compact-serde \\
      --manifest generated/Cargo.toml --default-features core,apps
  client-gen generate --crd 'fixtures/crds/*.yaml' --extern-group autoscaling=generated::autoscaling \\
      --out generated/crds/src --feature-gates --rustfmt-skip --compact-serde \\
      --manifest generated/crds/Cargo.toml";

const INSPECT_EXAMPLES: &str = "\
exit codes: 0 done, 2 bad input or usage

examples:
  client-gen inspect fixtures/crds/cert-manager.io_certificates.yaml
  client-gen inspect --openapi fixtures/openapi/kubernetes-swagger.json --resource apps/v1/deployments";

#[derive(Parser)]
#[command(name = "client-gen", about = ABOUT, after_help = AFTER_HELP)]
#[command(arg_required_else_help = true, disable_version_flag = true)]
struct Cli {
    #[command(subcommand)]
    command: CliCommand,
}

#[derive(Subcommand)]
enum CliCommand {
    /// Write the clientset for the inputs into --out (or, with --check, say whether it is stale)
    #[command(after_help = GENERATE_EXAMPLES)]
    Generate(GenerateCli),
    /// Print what the inputs describe: groups, versions, resources, verbs and their Rust names
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(InspectCli),
    /// Print a completion script for a shell (bash, elvish, fish, powershell, zsh)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

#[derive(Args)]
struct InputArgs {
    /// An OpenAPI v2 (swagger.json) or v3 document
    #[arg(long, value_name = "FILE", help_heading = INPUTS)]
    openapi: Vec<String>,
    /// CustomResourceDefinition manifests, YAML or JSON, several per file
    #[arg(long, value_name = "FILE", help_heading = INPUTS)]
    crd: Vec<String>,
    /// Discovery documents (APIResourceList, APIGroupDiscoveryList); kinds no input defines
    /// are untyped
    #[arg(long, value_name = "FILE", help_heading = INPUTS)]
    discovery: Vec<String>,
    /// Hand-written API descriptions (kind: APIDescription)
    #[arg(long, value_name = "FILE", help_heading = INPUTS)]
    describe: Vec<String>,
    /// A running server's discovery and /openapi/v3 (else /openapi/v2), after the files: the
    /// same output as those documents saved as files
    #[arg(long, help_heading = INPUTS)]
    from_cluster: bool,
    /// With --from-cluster: this kubeconfig (default: KUBECONFIG, ~/.kube/config, in-cluster)
    #[arg(long, value_name = "FILE", requires = "from_cluster", help_heading = INPUTS)]
    kubeconfig: Option<PathBuf>,
    /// With --from-cluster: this context of the kubeconfig (default: its current context)
    #[arg(long, value_name = "NAME", requires = "from_cluster", help_heading = INPUTS)]
    context: Option<String>,
}

impl InputArgs {
    /// `--from-cluster` and the server it names.
    fn cluster(&self) -> Option<Cluster> {
        self.from_cluster.then(|| Cluster {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
        })
    }
}

#[derive(Args)]
struct SelectArgs {
    /// Only these API groups: cert-manager.io, apps, core
    #[arg(long, value_name = "G", value_delimiter = ',', help_heading = ALLOW)]
    group: Vec<String>,
    /// Only these group versions: apps/v1, v1 (core)
    #[arg(long, value_name = "G/V", value_delimiter = ',', value_parser = version_entry, help_heading = ALLOW)]
    version: Vec<Entry>,
    /// Only these resources: apps/v1/deployments, v1/pods, certificates.cert-manager.io, pods
    #[arg(long, value_name = "R", value_delimiter = ',', value_parser = resource_entry, help_heading = ALLOW)]
    resource: Vec<Entry>,
}

const INPUTS: &str =
    "Inputs (repeatable, any mix; globs such as 'crds/*.yaml' are expanded, sorted)";
const ALLOW: &str = "Allow-lists (repeatable or comma-separated; default: everything the inputs describe; the types the selected resources use are always included)";

#[derive(Args)]
struct GenerateCli {
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    select: SelectArgs,
    /// Where the Rust files go
    #[arg(long, value_name = "DIR", required = true)]
    out: PathBuf,
    /// Write nothing; exit 1 and list the files that differ if DIR is stale
    #[arg(long)]
    check: bool,
    /// One Cargo feature per API group
    #[arg(long)]
    feature_gates: bool,
    /// Cargo.toml whose marked [features] block to keep in sync
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// The manifest's default features (with --manifest)
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    default_features: Vec<String>,
    /// Mark the tree so `cargo fmt` leaves it as generated
    #[arg(long)]
    rustfmt_skip: bool,
    /// Emitted serde impls instead of derives (faster to compile)
    #[arg(long)]
    compact_serde: bool,
    /// One file with inline modules instead of a module tree
    #[arg(long)]
    single_file: bool,
    /// No clients, no Clientset
    #[arg(long)]
    types_only: bool,
    /// Enums without the `Other(String)` variant: a value the schema does not list fails to
    /// decode (default: kept and written back)
    #[arg(long)]
    closed_enums: bool,
    /// Group G's types are another generated crate's, at PATH: not emitted
    /// (autoscaling=generated::autoscaling)
    #[arg(long, value_name = "G=PATH", value_delimiter = ',', value_parser = extern_group)]
    extern_group: Vec<ExternGroup>,
    /// As --extern-group, and re-exported as part of this crate's API (one clientset split
    /// into crates)
    #[arg(long, value_name = "G=PATH", value_delimiter = ',', value_parser = extern_group)]
    reexport_group: Vec<ExternGroup>,
    /// Kubernetes' generated.proto files under DIR: protobuf codecs behind a `protobuf` feature
    #[arg(long, value_name = "DIR")]
    proto: Option<PathBuf>,
    /// Go pointer fields of the protobuf types (with --proto; fixtures/protobuf/go-pointers.txt)
    #[arg(long, value_name = "FILE", requires = "proto")]
    go_pointers: Option<PathBuf>,
}

#[derive(Args)]
struct InspectCli {
    /// Input files of any of the formats below (detected from their content)
    #[arg(value_name = "FILE")]
    files: Vec<String>,
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    select: SelectArgs,
}

pub enum Command {
    Generate(Box<GenerateArgs>),
    Inspect(InspectArgs),
    Completions(clap_complete::Shell),
}

pub struct GenerateArgs {
    pub inputs: Vec<Input>,
    /// `--from-cluster`: read after the files.
    pub cluster: Option<Cluster>,
    pub out: PathBuf,
    pub check: bool,
    pub manifest: Option<PathBuf>,
    pub default_features: Vec<String>,
    pub settings: Settings,
}

pub struct InspectArgs {
    pub inputs: Vec<Input>,
    pub cluster: Option<Cluster>,
    pub select: Selection,
}

/// Parses the process's arguments; a usage error, `--help` or `help` prints and exits (2 for
/// errors, 0 for help), as clap does.
pub fn parse() -> Command {
    parse_from(std::env::args_os()).unwrap_or_else(|e| e.exit())
}

/// Parses `args` (with the program name first).
pub fn parse_from<I, T>(args: I) -> Result<Command, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = Cli::command().try_get_matches_from(args)?;
    let cli = Cli::from_arg_matches(&matches)?;
    let sub = |name| matches.subcommand_matches(name);
    match cli.command {
        CliCommand::Completions { shell } => Ok(Command::Completions(shell)),
        CliCommand::Inspect(args) => {
            let m = sub("inspect").expect("clap matched inspect");
            let cluster = args.inputs.cluster();
            let inputs = in_order(m, args.inputs, args.files);
            let select = selection(m, args.select);
            if inputs.is_empty() && cluster.is_none() {
                return Err(no_inputs("inspect"));
            }
            Ok(Command::Inspect(InspectArgs {
                inputs,
                cluster,
                select,
            }))
        }
        CliCommand::Generate(args) => {
            let m = sub("generate").expect("clap matched generate");
            let cluster = args.inputs.cluster();
            let inputs = in_order(m, args.inputs, Vec::new());
            if inputs.is_empty() && cluster.is_none() {
                return Err(no_inputs("generate"));
            }
            let mut settings = Settings {
                select: selection(m, args.select),
                feature_gates: args.feature_gates,
                rustfmt_skip: args.rustfmt_skip,
                clients: !args.types_only,
                ..Settings::default()
            };
            if args.single_file {
                settings.layout = Layout::SingleFile;
            }
            if args.compact_serde {
                settings.serde = SerdeStyle::Compact;
            }
            if args.closed_enums {
                settings.enums = EnumStyle::Closed;
            }
            settings.proto = args.proto.map(|root| client_gen::ProtoInput {
                root,
                go_pointers: args.go_pointers,
            });
            // In the order given, as one list: an extern group and a re-exported one differ
            // only in the flag.
            let mut groups: Vec<(usize, ExternGroup)> =
                indexed(m, "extern_group", args.extern_group);
            let reexported = args.reexport_group.into_iter().map(|mut g| {
                g.reexport = true;
                g
            });
            groups.extend(indexed(m, "reexport_group", reexported));
            groups.sort_by_key(|(i, _)| *i);
            settings.extern_groups = groups.into_iter().map(|(_, g)| g).collect();
            Ok(Command::Generate(Box::new(GenerateArgs {
                inputs,
                cluster,
                out: args.out,
                check: args.check,
                manifest: args.manifest,
                default_features: args.default_features,
                settings,
            })))
        }
    }
}

fn no_inputs(command: &str) -> clap::Error {
    let mut cmd = Cli::command();
    // Built, the subcommand knows its full name for the usage line (`client-gen generate`).
    cmd.build();
    let sub = cmd
        .find_subcommand_mut(command)
        .expect("the subcommand exists");
    sub.error(
        clap::error::ErrorKind::MissingRequiredArgument,
        format!(
            "{command} needs at least one input: --openapi, --crd, --discovery or --describe FILE, or --from-cluster"
        ),
    )
}

/// The inputs in command-line order (the first broken one is the one reported, documents
/// keep the order given), whichever option each came with; `files` are inspect's bare FILEs.
fn in_order(m: &ArgMatches, args: InputArgs, files: Vec<String>) -> Vec<Input> {
    let mut all: Vec<(usize, Input)> = Vec::new();
    let mut add = |id: &str, format: Option<Format>, values: Vec<String>| {
        let inputs = values.into_iter().map(|pattern| Input { pattern, format });
        all.extend(indexed(m, id, inputs));
    };
    add("openapi", Some(Format::OpenApiV2), args.openapi);
    add("crd", Some(Format::Crd), args.crd);
    add("discovery", Some(Format::Discovery), args.discovery);
    add("describe", Some(Format::Describe), args.describe);
    add("files", None, files);
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, input)| input).collect()
}

/// The allow-list entries in command-line order.
fn selection(m: &ArgMatches, args: SelectArgs) -> Selection {
    let mut all = indexed(m, "group", args.group.iter().map(|g| Entry::group(g)));
    all.extend(indexed(m, "version", args.version));
    all.extend(indexed(m, "resource", args.resource));
    all.sort_by_key(|(i, _)| *i);
    Selection {
        entries: all.into_iter().map(|(_, e)| e).collect(),
    }
}

/// Each value of argument `id` with its position on the command line (none given: nothing
/// to ask clap, which knows only the ids of the subcommand it matched).
fn indexed<T>(m: &ArgMatches, id: &str, values: impl IntoIterator<Item = T>) -> Vec<(usize, T)> {
    let mut values = values.into_iter().peekable();
    if values.peek().is_none() {
        return Vec::new();
    }
    let indices = m.indices_of(id).into_iter().flatten();
    indices.zip(values).collect()
}

fn version_entry(text: &str) -> Result<Entry, String> {
    Entry::version(text).map_err(|e| e.to_string())
}

fn resource_entry(text: &str) -> Result<Entry, String> {
    Entry::resource(text).map_err(|e| e.to_string())
}

fn extern_group(text: &str) -> Result<ExternGroup, String> {
    ExternGroup::parse(text).map_err(|e| e.to_string())
}

/// The clap command, for completion scripts.
pub fn command() -> clap::Command {
    Cli::command()
}
