//! A small HTTP/1.1 load generator for the benchmarks: N clients, each on its own keep-alive connection
//! from its own loopback address (127.0.0.2, 127.0.0.3, … — so per-address logic sees many sources),
//! sending requests back to back for a fixed time and recording every latency. Built on hyper's
//! connection API to cost the machine as little as possible (it shares the CPU with the server measured).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Builds the `n`-th request of client `client`.
pub type MakeRequest = Arc<dyn Fn(usize, u64) -> Request<Full<Bytes>> + Send + Sync>;

/// What a run measured.
#[derive(Debug, Default)]
pub struct Measured {
    /// Responses with an expected status.
    pub ok: u64,
    /// Responses with another status.
    pub unexpected: u64,
    /// Requests that failed (connection errors).
    pub failed: u64,
    pub elapsed: Duration,
    /// Latencies of the expected responses, sorted.
    pub latencies: Vec<Duration>,
}

impl Measured {
    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i.min(self.latencies.len() - 1)]
    }

    /// `12 345 req/s  p50 1.20 ms  p99 4.10 ms`.
    pub fn line(&self, unit: &str) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "{:>9.0} {unit}/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} ok, {} other, {} failed)",
            self.per_second(),
            ms(self.percentile(0.5)),
            ms(self.percentile(0.99)),
            self.ok,
            self.unexpected,
            self.failed
        )
    }
}

async fn connect(server: SocketAddr, client: usize) -> std::io::Result<tokio::net::TcpStream> {
    let source = IpAddr::V4(Ipv4Addr::new(127, 0, (client / 250) as u8, (client % 250) as u8 + 2));
    let socket = tokio::net::TcpSocket::new_v4()?;
    if server.ip().is_loopback() {
        // Any 127/8 address is this machine on Linux; elsewhere fall back to the default source.
        let _ = socket.bind(SocketAddr::new(source, 0));
    }
    let stream = socket.connect(server).await?;
    stream.set_nodelay(true)?;
    Ok(stream)
}

/// One client: a connection and requests back to back until `until`; only requests sent after `start` count.
async fn client(
    server: SocketAddr,
    id: usize,
    make: MakeRequest,
    expect: Arc<Vec<u16>>,
    start: Instant,
    until: Instant,
) -> Measured {
    let mut m = Measured::default();
    let mut n = 0u64;
    'reconnect: while Instant::now() < until {
        let Ok(stream) = connect(server, id).await else {
            m.failed += 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let Ok((mut sender, conn)) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await else {
            m.failed += 1;
            continue;
        };
        tokio::spawn(conn);
        while Instant::now() < until {
            let req = make(id, n);
            n += 1;
            let sent = Instant::now();
            let res = match sender.send_request(req).await {
                Ok(r) => r,
                Err(_) => {
                    m.failed += 1;
                    continue 'reconnect;
                }
            };
            let status = res.status().as_u16();
            if res.into_body().collect().await.is_err() {
                m.failed += 1;
                continue 'reconnect;
            }
            if sent < start {
                continue;
            }
            if expect.contains(&status) {
                m.ok += 1;
                m.latencies.push(sent.elapsed());
            } else {
                m.unexpected += 1;
            }
        }
    }
    m
}

/// Runs `clients` clients against `server` for `warmup` (not counted) and then `duration`.
pub async fn run(
    server: SocketAddr,
    clients: usize,
    warmup: Duration,
    duration: Duration,
    expect: &[u16],
    make: MakeRequest,
) -> Measured {
    let start = Instant::now() + warmup;
    let until = start + duration;
    let expect = Arc::new(expect.to_vec());
    let tasks: Vec<_> =
        (0..clients).map(|i| tokio::spawn(client(server, i, make.clone(), expect.clone(), start, until))).collect();
    let mut total = Measured::default();
    for t in tasks {
        if let Ok(m) = t.await {
            total.ok += m.ok;
            total.unexpected += m.unexpected;
            total.failed += m.failed;
            total.latencies.extend(m.latencies);
        }
    }
    total.elapsed = duration;
    total.latencies.sort_unstable();
    total
}

/// A GET request.
pub fn get(host: &str, path: &str) -> Request<Full<Bytes>> {
    Request::get(path).header("host", host).body(Full::new(Bytes::new())).expect("valid request")
}

/// A JSON POST request.
pub fn post_json(host: &str, path: &str, body: String) -> Request<Full<Bytes>> {
    Request::post(path)
        .header("host", host)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .expect("valid request")
}

/// The body of one GET request (for reading `/metrics` after a run).
pub async fn fetch(server: SocketAddr, path: &str) -> anyhow::Result<String> {
    let stream = connect(server, 0).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(conn);
    let res = sender.send_request(get(&server.to_string(), path)).await?;
    let body = res.into_body().collect().await?.to_bytes();
    Ok(String::from_utf8_lossy(&body).into_owned())
}
