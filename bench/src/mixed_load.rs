//! The production-shaped workload (issue 28): many applications' tokens reading many secrets
//! with a skewed (Zipf) popularity, while 5 % of requests update secrets and grants change now
//! and then. The same shape is given to Strongbox and to OpenBao (KV v2, as many tokens and
//! paths, ACL policies in place of grants).
//!
//!   mixed-load prepare strongbox URL PERSONAL_TOKEN SECRETS TOKENS APPLICATIONS PLAN
//!   mixed-load prepare openbao   URL ROOT_TOKEN     SECRETS TOKENS APPLICATIONS PLAN
//!   mixed-load run PLAN NAME SECONDS CONNECTIONS
//!
//! `run` prints `NAME-mixed-read` and `NAME-mixed-update` lines as bench/wrk_figures.py does:
//! rate, p50 and p99 in milliseconds, and failed requests (not 2xx, or no answer).

use std::io::Write as _;

mod mixed;

fn fail(message: &str) -> ! {
    eprintln!("mixed-load: {message}");
    std::process::exit(2)
}

#[tokio::main(worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| {
        args.get(i)
            .cloned()
            .unwrap_or_else(|| fail("missing arguments"))
    };
    let number = |i: usize| {
        arg(i)
            .parse::<usize>()
            .unwrap_or_else(|_| fail("not a number"))
    };
    match arg(0).as_str() {
        "prepare" => {
            let shape = mixed::Shape {
                secrets: number(4),
                tokens: number(5),
                applications: number(6),
            };
            let plan = match arg(1).as_str() {
                "strongbox" => mixed::prepare::strongbox(&arg(2), &arg(3), &shape).await,
                "openbao" => mixed::prepare::openbao(&arg(2), &arg(3), &shape).await,
                other => fail(&format!("prepare strongbox or openbao, not {other}")),
            };
            let text = serde_json::to_string(&plan).unwrap_or_else(|e| fail(&e.to_string()));
            std::fs::write(arg(7), text).unwrap_or_else(|e| fail(&e.to_string()));
        }
        "run" => {
            let text = std::fs::read_to_string(arg(1)).unwrap_or_else(|e| fail(&e.to_string()));
            let plan: mixed::Plan =
                serde_json::from_str(&text).unwrap_or_else(|e| fail(&e.to_string()));
            let seconds = number(3) as u64;
            let figures = mixed::drive::run(plan, seconds, number(4)).await;
            for line in figures.lines(&arg(2), seconds) {
                let _ = writeln!(std::io::stdout(), "{line}");
            }
        }
        other => fail(&format!("prepare or run, not {other}")),
    }
}
