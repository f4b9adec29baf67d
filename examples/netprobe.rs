//! Probes the network path to one endpoint and prints every stage, for
//! trying the probe by hand (and timing it). Reads the proxy variables from
//! the environment, like the SDK.
//!
//! ```text
//! cargo run --example netprobe -- https://sts.us-east-1.amazonaws.com
//! cargo run --example netprobe -- --sts us-west-2 --fips --timeout-ms 3000 --json
//! cargo run --example netprobe -- http://127.0.0.1:4566 --ca-bundle corp.pem
//! ```
#![allow(clippy::print_stdout)] // a command-line tool: its output is the point

use credwiz::base::environment::Environment;
use credwiz::netpath::{CaBundle, EndpointOrigin, OverrideSource, ProbeInput, ProxyEnv, Setting, Target, probe};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut url, mut region, mut fips, mut dualstack, mut json) = (None, None, false, false, false);
    let (mut timeout, mut bundle) = (Duration::from_secs(5), None);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sts" => region = args.next(),
            "--fips" => fips = true,
            "--dualstack" => dualstack = true,
            "--json" => json = true,
            "--timeout-ms" => timeout = Duration::from_millis(args.next().ok_or("--timeout-ms N")?.parse()?),
            "--ca-bundle" => bundle = args.next(),
            _ => url = Some(arg),
        }
    }
    let target = match (url, region) {
        (Some(url), _) => Target::new(&url, EndpointOrigin::Override(OverrideSource::EnvAllServices))?,
        (None, Some(region)) => Target::sts(
            Setting::new("region", region, "--sts"),
            fips.then(|| Setting::new("use_fips_endpoint", "true", "--fips")),
            dualstack.then(|| Setting::new("use_dualstack_endpoint", "true", "--dualstack")),
        )?,
        (None, None) => return Err("usage: netprobe URL | --sts REGION [--fips] [--dualstack] [--json]".into()),
    };
    let env = Environment::from_process();
    let mut input = ProbeInput::new(target, ProxyEnv::from_environment(&env), Instant::now() + timeout);
    if let Some(path) = bundle {
        let pem = credwiz::base::bounded::read_regular(path.as_ref(), 4 << 20)?.ok_or("no such CA bundle")?;
        input = input.with_ca_bundle(CaBundle { pem, source: path });
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let report = runtime.block_on(probe(&input));
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    for stage in &report.stages {
        println!("{:<8} {:<5?} {:>5} ms  {}", stage.kind.label(), stage.status, stage.duration_ms, stage.summary);
        for line in &stage.evidence {
            println!("{:22}{line}", "");
        }
    }
    let cause = report.cause.map_or("none", |c| c.id());
    println!("cause: {cause}: {} ({} ms)", report.summary, report.duration_ms);
    if let Some(notice) = &report.override_notice {
        println!("override: {}", notice.describe());
    }
    Ok(())
}
