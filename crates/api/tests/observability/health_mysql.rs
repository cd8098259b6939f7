//! Health on a real MariaDB reached through a TCP proxy the test controls: the proxy drops
//! every connection (database gone), then holds them without forwarding (database hung), then
//! forwards again. `/health` and `/health/ready` must say so within their timeout and recover
//! by themselves. Skipped without `SURGICASE_TEST_MYSQL_URL`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use surgicase_api::observability::ObservabilitySettings;
use surgicase_store::{DbStore, PoolSettings};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::support::{app_on, call, get, serve, state};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Forward,
    /// Refuse: every connection is closed at once.
    Down,
    /// Accept and hold: nothing is forwarded, nothing answered.
    Hung,
}

#[derive(Default)]
struct Links {
    forwarding: Vec<JoinHandle<()>>,
    held: Vec<TcpStream>,
}

/// A TCP proxy to the database whose behaviour the test switches.
#[derive(Clone)]
struct Proxy {
    addr: SocketAddr,
    mode: Arc<Mutex<Mode>>,
    links: Arc<Mutex<Links>>,
}

impl Proxy {
    async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = Proxy {
            addr: listener.local_addr().unwrap(),
            mode: Arc::new(Mutex::new(Mode::Forward)),
            links: Arc::new(Mutex::new(Links::default())),
        };
        let p = proxy.clone();
        actix_web::rt::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let mode = *p.mode.lock().unwrap();
                match mode {
                    Mode::Down => drop(client),
                    Mode::Hung => p.links.lock().unwrap().held.push(client),
                    Mode::Forward => {
                        let task = actix_web::rt::spawn(async move {
                            if let Ok(mut server) = TcpStream::connect(upstream).await {
                                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                            }
                        });
                        p.links.lock().unwrap().forwarding.push(task);
                    }
                }
            }
        });
        proxy
    }

    /// Switches the mode and lets the cut connections close.
    async fn set(&self, mode: Mode) {
        self.switch(mode);
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }

    fn switch(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
        let mut links = self.links.lock().unwrap();
        if mode != Mode::Forward {
            // Existing connections die with the database.
            for task in links.forwarding.drain(..) {
                task.abort();
            }
        } else {
            links.held.clear();
        }
    }
}

fn mysql_server() -> Option<(String, SocketAddr)> {
    let url = surgicase_testkit::env::mysql_url()?;
    let rest = url.trim_start_matches("mysql://").split(['/', '?']).next()?.to_owned();
    let (auth, hostport) = rest.rsplit_once('@').unwrap_or(("root", &rest));
    let hostport = if hostport.contains(':') { hostport.to_owned() } else { format!("{hostport}:3306") };
    let hostport = hostport.replace("localhost", "127.0.0.1");
    Some((auth.to_owned(), hostport.parse().expect("the test MySQL URL names host:port")))
}

/// Polls `uri` until it answers `status` or `within` passes; returns how long it took.
async fn until<S>(service: &S, uri: &str, status: u16, within: Duration) -> Duration
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse,
            Error = actix_web::Error,
        >,
{
    let started = Instant::now();
    loop {
        let answer = call(service, get(uri)).await;
        if answer.status == status {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < within,
            "{uri} still answers {} after {within:?}: {}",
            answer.status,
            answer.raw
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

#[actix_web::test]
async fn mariadb_lost_hung_and_back() {
    let Some((auth, upstream)) = mysql_server() else { return };
    let proxy = Proxy::start(upstream).await;
    // mysql_async would switch a local TCP connection to the server's socket, around the proxy.
    let url = format!("mysql://{auth}@{}/mysql?prefer_socket=false", proxy.addr);
    let settings = PoolSettings {
        max_size: 2,
        acquire_timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(5),
    };
    let db =
        Arc::new(DbStore::connect(&url, settings, surgicase_store::testing::test_phi_keys()).await.unwrap());
    let service = serve(state(app_on(db), ObservabilitySettings::default())).await;
    assert_eq!(call(&service, get("/health")).await.status, 200);
    assert_eq!(call(&service, get("/health/ready")).await.status, 200);

    // Gone: connections refused and cut.
    proxy.set(Mode::Down).await;
    let started = Instant::now();
    let h = call(&service, get("/health")).await;
    assert!(started.elapsed() < Duration::from_millis(2500), "took {:?}", started.elapsed());
    assert_eq!(h.status, 503, "{}", h.raw);
    assert_eq!(h.body["components"]["database"]["status"], "unhealthy");
    let started = Instant::now();
    assert_eq!(call(&service, get("/health/ready")).await.status, 503);
    assert!(started.elapsed() < Duration::from_millis(2500));

    // Back: recovers by itself.
    proxy.set(Mode::Forward).await;
    until(&service, "/health", 200, Duration::from_secs(10)).await;
    until(&service, "/health/ready", 200, Duration::from_secs(10)).await;

    // Hung: nothing answers; the checks give up at the database's 2 s timeout.
    proxy.set(Mode::Hung).await;
    let started = Instant::now();
    let h = call(&service, get("/health")).await;
    let took = started.elapsed();
    assert_eq!(h.status, 503, "{}", h.raw);
    assert!(took < Duration::from_millis(2800), "a hung database must not hang /health: {took:?}");
    let message = h.body["components"]["database"]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message == "no answer within 2000 ms" || message == "database unreachable", "{message}");
    let started = Instant::now();
    assert_eq!(call(&service, get("/health/ready")).await.status, 503);
    assert!(started.elapsed() < Duration::from_millis(2800));

    proxy.set(Mode::Forward).await;
    until(&service, "/health", 200, Duration::from_secs(15)).await;
    until(&service, "/health/ready", 200, Duration::from_secs(15)).await;
}
