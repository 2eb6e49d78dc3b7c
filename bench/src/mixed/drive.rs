//! Runs a plan: CONNECTIONS loops, each sending one request at a time for SECONDS.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rand::{Rng as _, SeedableRng as _};

use super::{Call, GRANT_CHANGES_PER_MILLE, Plan, UPDATES_PER_MILLE};

#[derive(Default)]
pub struct Figures {
    reads: Vec<u32>,
    updates: Vec<u32>,
    read_errors: usize,
    update_errors: usize,
    first_error: Option<String>,
}

impl Figures {
    fn add(&mut self, other: Figures) {
        self.reads.extend(other.reads);
        self.updates.extend(other.updates);
        self.read_errors += other.read_errors;
        self.update_errors += other.update_errors;
        self.first_error = self.first_error.take().or(other.first_error);
    }

    /// Lines as bench/wrk_figures.py prints them.
    pub fn lines(mut self, name: &str, seconds: u64) -> Vec<String> {
        if let Some(e) = &self.first_error {
            eprintln!("{name}: first failed request: {e}");
        }
        let line = |kind: &str, micros: &mut Vec<u32>, errors: usize| {
            micros.sort_unstable();
            let at = |p: f64| {
                let i = ((micros.len() as f64 * p) as usize).min(micros.len().saturating_sub(1));
                micros.get(i).map_or(f64::NAN, |m| f64::from(*m) / 1000.0)
            };
            let rate = micros.len() as f64 / seconds as f64;
            format!(
                "{name}-mixed-{kind} {rate:.2} {:.2} {:.2} {errors}",
                at(0.5),
                at(0.99)
            )
        };
        vec![
            line("read", &mut self.reads, self.read_errors),
            line("update", &mut self.updates, self.update_errors),
        ]
    }
}

/// Ranks drawn with probability proportional to 1/rank (Zipf, s = 1).
struct Zipf(Vec<f64>);

impl Zipf {
    fn new(n: usize) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect::<Vec<_>>();
        Zipf(cumulative.into_iter().map(|c| c / total).collect())
    }

    fn draw(&self, rng: &mut impl rand::Rng) -> usize {
        let u: f64 = rng.r#gen();
        self.0.partition_point(|c| *c < u).min(self.0.len() - 1)
    }
}

pub async fn run(plan: Plan, seconds: u64, connections: usize) -> Figures {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_else(|e| crate::fail(&e.to_string()));
    let plan = Arc::new(plan_with_zipf(plan));
    let grant_turn = Arc::new(AtomicUsize::new(0));
    let until = Instant::now() + Duration::from_secs(seconds);
    let loops: Vec<_> = (0..connections)
        .map(|_| {
            let (client, plan, turn) = (client.clone(), plan.clone(), grant_turn.clone());
            tokio::spawn(async move { one_loop(&client, &plan, &turn, until).await })
        })
        .collect();
    let mut all = Figures::default();
    for l in loops {
        if let Ok(f) = l.await {
            all.add(f);
        }
    }
    all
}

struct Ready {
    plan: Plan,
    zipf: Zipf,
}

fn plan_with_zipf(plan: Plan) -> Ready {
    let zipf = Zipf::new(plan.secrets.len());
    Ready { plan, zipf }
}

async fn one_loop(
    client: &reqwest::Client,
    ready: &Ready,
    grant_turn: &AtomicUsize,
    until: Instant,
) -> Figures {
    let plan = &ready.plan;
    let mut rng = rand::rngs::StdRng::from_entropy();
    let mut figures = Figures::default();
    let mut n: u64 = rng.r#gen();
    while Instant::now() < until {
        n += 1;
        let dice = rng.gen_range(0..1000);
        let target = &plan.secrets[ready.zipf.draw(&mut rng)];
        let (call, token, update) = if dice < GRANT_CHANGES_PER_MILLE {
            let turn = grant_turn.fetch_add(1, Ordering::Relaxed);
            (
                plan.grant_changes[turn % plan.grant_changes.len()].clone(),
                &plan.admin_token,
                true,
            )
        } else if dice < GRANT_CHANGES_PER_MILLE + UPDATES_PER_MILLE {
            (target.update.clone(), &plan.admin_token, true)
        } else {
            let token = &target.tokens[rng.gen_range(0..target.tokens.len())];
            let read = Call {
                method: "GET".into(),
                path: target.read.clone(),
                body: None,
            };
            (read, token, false)
        };
        let started = Instant::now();
        let outcome = send(client, plan, &call, token, n).await;
        let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        match (outcome, update) {
            (Ok(()), false) => figures.reads.push(micros),
            (Ok(()), true) => figures.updates.push(micros),
            (Err(e), kind) => {
                if kind {
                    figures.update_errors += 1;
                } else {
                    figures.read_errors += 1;
                }
                figures.first_error.get_or_insert(e);
            }
        }
    }
    figures
}

async fn send(
    client: &reqwest::Client,
    plan: &Plan,
    call: &Call,
    token: &str,
    n: u64,
) -> Result<(), String> {
    let method = reqwest::Method::from_bytes(call.method.as_bytes()).map_err(|e| e.to_string())?;
    let mut request = client
        .request(method, format!("{}{}", plan.url, call.path))
        .header(
            plan.token_header.as_str(),
            format!("{}{token}", plan.token_prefix),
        );
    if let Some(body) = &call.body {
        request = request
            .header("content-type", "application/json")
            .body(body.replace("{n}", &n.to_string()));
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let text = response.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(())
    } else {
        let said = String::from_utf8_lossy(&text[..text.len().min(160)]).into_owned();
        Err(format!("{} {} {status} {said}", call.method, call.path))
    }
}
