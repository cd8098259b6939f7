//! Credential rotation without a restart: the server reads its MySQL credentials from a
//! Secrets Manager secret (moto); the password is rotated (ALTER USER, new secret value) and
//! the server's connections are cut; new connections fail once with 1045, the secret is read
//! again, and no request fails. Needs `SURGICASE_TEST_MYSQL_URL` and
//! `SURGICASE_TEST_S3_ENDPOINT` (moto serves Secrets Manager too).

use std::process::Command;

use serde_json::{Value, json};

use crate::server::{Backend, Server};

fn mariadb(sql: &str) {
    // The CI server: root on 127.0.0.1:3306 without a password.
    let status = Command::new("mariadb")
        .args(["-h", "127.0.0.1", "-P", "3306", "-u", "root", "-e", sql])
        .status()
        .unwrap();
    assert!(status.success(), "{sql}");
}

/// One Secrets Manager call to moto (which does not check signatures).
async fn secrets_manager(endpoint: &str, target: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .post(endpoint)
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", format!("secretsmanager.{target}"))
        .header(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/secretsmanager/aws4_request, \
             SignedHeaders=host, Signature=0",
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_success(), "{target}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

fn secret(database: &str, user: &str, password: &str) -> String {
    json!({"host": "127.0.0.1", "port": 3306, "database": database, "user": user, "password": password})
        .to_string()
}

#[tokio::test]
async fn a_rotated_database_password_is_picked_up_without_failed_requests() {
    let (Some(_mysql), Some(endpoint)) =
        (surgicase_testkit::env::mysql_url(), surgicase_testkit::env::s3_endpoint())
    else {
        return;
    };
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let database = format!("sc_test_rot_{}", &tag[..12]);
    let user = format!("sc_rot_{}", &tag[..12]);
    let (first, second) = (format!("A-{tag}"), format!("B-{tag}"));
    mariadb(&format!("CREATE DATABASE {database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"));
    mariadb(&format!(
        "CREATE USER '{user}'@'%' IDENTIFIED BY '{first}'; GRANT ALL ON {database}.* TO '{user}'@'%'"
    ));
    let name = format!("e2e/db-{tag}");
    secrets_manager(
        &endpoint,
        "CreateSecret",
        json!({"Name": name, "SecretString": secret(&database, &user, &first)}),
    )
    .await;

    let env = [
        ("SURGICASE_DATABASE__SECRET", name.as_str()),
        ("SURGICASE_DATABASE__POOL_SIZE", "4"),
        ("SURGICASE_SECRETS__SOURCE", "aws"),
        ("SURGICASE_SECRETS__ENDPOINT", endpoint.as_str()),
        // Long enough that only the login failure can make the server read the secret again.
        ("SURGICASE_SECRETS__TTL_S", "3600"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let s = Server::start_with(Backend::Sqlite, &env).await;
    let (status, body) = s
        .post("/user", &json!({"user_id": "u-rot", "user_email": "rot@example.com", "first_name": "Rita", "last_name": "Rotate"}))
        .await;
    assert_eq!(status, 201, "{body}");
    for _ in 0..5 {
        assert_eq!(s.get("/user?user_id=u-rot").await.0, 200);
    }

    // Rotate: new password in the database and in the secret, then cut every open connection.
    mariadb(&format!("ALTER USER '{user}'@'%' IDENTIFIED BY '{second}'"));
    secrets_manager(
        &endpoint,
        "PutSecretValue",
        json!({"SecretId": name, "SecretString": secret(&database, &user, &second)}),
    )
    .await;
    let ids = Command::new("mariadb")
        .args(["-h", "127.0.0.1", "-P", "3306", "-u", "root", "-N", "-e"])
        .arg(format!("SELECT id FROM information_schema.processlist WHERE user = '{user}'"))
        .output()
        .unwrap();
    let ids = String::from_utf8_lossy(&ids.stdout).into_owned();
    assert!(!ids.trim().is_empty(), "the server holds connections");
    for id in ids.split_whitespace() {
        mariadb(&format!("KILL CONNECTION {id}"));
    }

    // Every request succeeds: dead connections are replaced by new ones with the new password.
    let mut failures = Vec::new();
    for i in 0..30 {
        let (status, body) = s.get("/user?user_id=u-rot").await;
        if status != 200 {
            failures.push(format!("request {i}: {status} {body}"));
        }
    }
    let log = s.log_text();
    assert!(failures.is_empty(), "{failures:?}\n{log}");
    assert!(log.contains("refreshing the credentials"), "the refresh should be logged:\n{log}");
    for password in [&first, &second] {
        assert!(!log.contains(password.as_str()), "a password reached the log");
    }
    let config = s.command().envs(env).arg("config").output().unwrap();
    let printed =
        String::from_utf8_lossy(&config.stdout).into_owned() + &String::from_utf8_lossy(&config.stderr);
    assert!(!printed.contains(&first) && !printed.contains(&second), "{printed}");

    drop(s);
    mariadb(&format!("DROP USER IF EXISTS '{user}'@'%'; DROP DATABASE IF EXISTS {database}"));
}
