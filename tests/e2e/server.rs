//! Starting and stopping the server under test.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::{Client, Method, Response};
use serde_json::Value;

/// The database a server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Mysql,
}

/// The backends to run: SQLite always, MariaDB when configured.
pub fn backends() -> Vec<Backend> {
    let mut list = vec![Backend::Sqlite];
    if mysql_server().is_some() {
        list.push(Backend::Mysql);
    }
    list
}

fn mysql_server() -> Option<String> {
    surgicase_testkit::env::mysql_url()
}

/// A running server with its own database and data directory.
pub struct Server {
    pub base: String,
    pub client: Client,
    child: Child,
    /// Holds the log (and, for a first server, the SQLite file and the data directory).
    _dir: tempfile::TempDir,
    /// `SURGICASE_DATA_DIR` (a replica shares its first server's).
    data_dir: PathBuf,
    database_url: String,
    mysql_db: Option<(String, String)>,
    pub log: PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn mysql(server: &str, sql: &str) {
    // The server URL is mysql://user[:password]@host:port; the client takes the same parts.
    let url = url_parts(server);
    let mut cmd = Command::new("mariadb");
    cmd.args(["-h", &url.host, "-P", &url.port, "-u", &url.user, "-e", sql]);
    if let Some(password) = &url.password {
        cmd.arg(format!("-p{password}"));
    }
    let status = cmd.status().expect("mariadb client");
    assert!(status.success(), "{sql}");
}

struct UrlParts {
    user: String,
    password: Option<String>,
    host: String,
    port: String,
}

fn url_parts(server: &str) -> UrlParts {
    let rest = server.trim_start_matches("mysql://").split(['/', '?']).next().unwrap_or_default();
    let (auth, hostport) = rest.rsplit_once('@').unwrap_or(("root", rest));
    let (user, password) = match auth.split_once(':') {
        Some((u, p)) => (u.to_owned(), Some(p.to_owned())),
        None => (auth.to_owned(), None),
    };
    let (host, port) = hostport.split_once(':').unwrap_or((hostport, "3306"));
    UrlParts { user, password, host: host.to_owned(), port: port.to_owned() }
}

impl Server {
    /// Starts `surgicase-api` on `backend` and waits until it answers.
    pub async fn start(backend: Backend) -> Server {
        Self::start_with(backend, &[]).await
    }

    pub async fn start_with(backend: Backend, env: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, mysql_db) = match backend {
            Backend::Sqlite => (format!("sqlite://{}", dir.path().join("surgicase.db").display()), None),
            Backend::Mysql => {
                let server = mysql_server().expect("the test MySQL server");
                let name = format!("sc_test_e2e_{}", uuid::Uuid::new_v4().simple());
                mysql(
                    &server,
                    &format!("CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"),
                );
                (format!("{}/{name}", server.trim_end_matches('/')), Some((server, name)))
            }
        };
        let data_dir = dir.path().join("data");
        Self::spawn(dir, data_dir, database_url, mysql_db, env).await
    }

    /// Another `surgicase-api` process on this server's database and data directory, as a
    /// replica behind a load balancer would be.
    pub async fn replica(&self) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::spawn(dir, self.data_dir.clone(), self.database_url.clone(), None, &[]).await
    }

    async fn spawn(
        dir: tempfile::TempDir,
        data_dir: PathBuf,
        database_url: String,
        mysql_db: Option<(String, String)>,
        env: &[(&str, &str)],
    ) -> Server {
        let port = free_port();
        let log = dir.path().join("server.log");
        let mut server = Server {
            base: format!("http://127.0.0.1:{port}"),
            client: Client::new(),
            child: Command::new("true").spawn().expect("placeholder"),
            _dir: dir,
            data_dir,
            database_url,
            mysql_db,
            log,
        };
        let log_file = std::fs::File::create(&server.log).expect("log file");
        let mut cmd = server.command();
        cmd.env("SURGICASE_BIND", format!("127.0.0.1:{port}"))
            .env("SURGICASE_LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log_file);
        for (key, value) in env {
            cmd.env(key, value);
        }
        server.child = cmd.spawn().expect("start surgicase-api");
        server.wait_ready().await;
        server
    }

    /// The database this server runs on (another process may share it).
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The binary with this server's database and data directory.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_surgicase-api"));
        cmd.env("SURGICASE_DATABASE_URL", &self.database_url)
            .env("SURGICASE_DATA_DIR", &self.data_dir)
            .env_remove("SURGICASE_CONFIG");
        cmd
    }

    async fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("server exited with {status}: {}", self.log_text());
            }
            if self.client.get(format!("{}/timezones", self.base)).send().await.is_ok() {
                return;
            }
            assert!(Instant::now() < deadline, "server not ready: {}", self.log_text());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Creates a user through the operator command (how ops bootstrap admins).
    pub fn create_user(&self, user_id: &str, user_type: i64) {
        let output = self
            .command()
            .args([
                "admin",
                "create-user",
                "--user-id",
                user_id,
                "--email",
                &format!("{user_id}@example.com"),
            ])
            .args(["--user-type", &user_type.to_string(), "--first-name", "Test", "--last-name", user_id])
            .output()
            .expect("admin create-user");
        assert!(
            output.status.success(),
            "create-user {user_id}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    pub async fn call(&self, method: Method, path_and_query: &str, body: Option<&Value>) -> (u16, Value) {
        let mut request = self.client.request(method, format!("{}{}", self.base, path_and_query));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request");
        decode(response).await
    }

    pub async fn get(&self, path_and_query: &str) -> (u16, Value) {
        self.call(Method::GET, path_and_query, None).await
    }

    pub async fn post(&self, path_and_query: &str, body: &Value) -> (u16, Value) {
        self.call(Method::POST, path_and_query, Some(body)).await
    }

    pub async fn patch(&self, path_and_query: &str, body: &Value) -> (u16, Value) {
        self.call(Method::PATCH, path_and_query, Some(body)).await
    }

    pub async fn delete(&self, path_and_query: &str) -> (u16, Value) {
        self.call(Method::DELETE, path_and_query, None).await
    }

    /// Writes a file where the legacy attach-by-name flow looks for it.
    pub fn upload_legacy(&self, owner: &str, name: &str, bytes: &[u8]) {
        let dir = self.data_dir.join("objects/private/case-documents").join(owner);
        std::fs::create_dir_all(&dir).expect("document dir");
        std::fs::write(dir.join(name), bytes).expect("document");
    }
}

pub async fn decode(response: Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some((server, name)) = &self.mysql_db {
            mysql(server, &format!("DROP DATABASE IF EXISTS {name}"));
        }
    }
}
