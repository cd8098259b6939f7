//! The ClickUp API v2 client: create a task in a list, find a task of the list by name, and a
//! cheap authenticated ping (read the list).

use std::time::Duration;

use async_trait::async_trait;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::json;
use surgicase_kernel::{Sensitive, Timestamp};
use surgicase_ports::bugs::{BugPriority, BugTracker, TrackerError, TrackerTask};

/// The longest piece of a ClickUp error message kept in our errors.
const MAX_MESSAGE: usize = 200;

/// Where and how to reach ClickUp.
#[derive(Clone, Debug)]
pub struct ClickUpSettings {
    /// The API root, e.g. `https://api.clickup.com/api/v2`.
    pub base_url: Url,
    pub token: Sensitive,
    pub list_id: String,
    /// Longest wait for one request.
    pub timeout: Duration,
    /// Pages (of up to 100 tasks) searched by [`BugTracker::find_task`].
    pub lookup_pages: u32,
}

impl ClickUpSettings {
    /// Checks the URL, token and list id.
    pub fn new(
        base_url: &str,
        token: &str,
        list_id: &str,
        timeout: Duration,
        lookup_pages: u32,
    ) -> Result<Self, TrackerError> {
        let invalid = |why: &str| TrackerError::Invalid(format!("ClickUp settings: {why}"));
        let base_url = Url::parse(base_url.trim_end_matches('/')).map_err(|_| invalid("bad base URL"))?;
        if base_url.cannot_be_a_base() || !matches!(base_url.scheme(), "http" | "https") {
            return Err(invalid("the base URL must be http(s)"));
        }
        if token.trim().is_empty() || HeaderValue::from_str(token.trim()).is_err() {
            return Err(invalid("the token is empty or not a valid header value"));
        }
        if list_id.trim().is_empty() {
            return Err(invalid("the list id is empty"));
        }
        Ok(Self {
            base_url,
            token: Sensitive::new(token.trim()),
            list_id: list_id.trim().to_owned(),
            timeout,
            lookup_pages: lookup_pages.max(1),
        })
    }
}

/// ClickUp's priority numbers: urgent 1, high 2, medium and normal 3, low 4 (domain §19).
pub fn clickup_priority(priority: BugPriority) -> u8 {
    match priority {
        BugPriority::Urgent => 1,
        BugPriority::High => 2,
        BugPriority::Medium | BugPriority::Normal => 3,
        BugPriority::Low => 4,
    }
}

/// Pushes reports to one ClickUp list.
#[derive(Debug, Clone)]
pub struct ClickUpTracker {
    http: reqwest::Client,
    settings: ClickUpSettings,
}

#[derive(Deserialize)]
struct CreatedTask {
    id: String,
}

#[derive(Deserialize)]
struct TaskPage {
    #[serde(default)]
    tasks: Vec<ListedTask>,
    #[serde(default)]
    last_page: Option<bool>,
}

#[derive(Deserialize)]
struct ListedTask {
    id: String,
    name: String,
}

impl ClickUpTracker {
    pub fn new(settings: ClickUpSettings) -> Result<Self, TrackerError> {
        let mut headers = HeaderMap::new();
        let mut token = HeaderValue::from_str(settings.token.expose())
            .map_err(|_| TrackerError::Invalid("ClickUp token is not a valid header value".into()))?;
        token.set_sensitive(true);
        headers.insert(AUTHORIZATION, token);
        let http = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .default_headers(headers)
            .build()
            .map_err(|e| TrackerError::Invalid(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self { http, settings })
    }

    /// `<base>/list/<list_id>` plus `more` path segments.
    fn url(&self, more: &[&str]) -> Url {
        let mut url = self.settings.base_url.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push("list").push(&self.settings.list_id).extend(more);
        }
        url
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response, TrackerError> {
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(TrackerError::RateLimited);
        }
        if status.is_server_error() {
            return Err(TrackerError::Server(status.as_u16()));
        }
        let text = response.text().await.unwrap_or_default();
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("err").and_then(|e| e.as_str()).map(str::to_owned))
            .unwrap_or_default();
        Err(TrackerError::Refused {
            status: status.as_u16(),
            message: message.chars().take(MAX_MESSAGE).collect(),
        })
    }
}

/// A failed request: a timeout leaves the outcome unknown; anything else did not get through.
fn transport_error(e: reqwest::Error) -> TrackerError {
    if e.is_timeout() {
        TrackerError::Timeout
    } else if e.is_connect() {
        TrackerError::Unreachable("cannot connect to ClickUp".to_owned())
    } else if e.is_decode() || e.is_body() {
        TrackerError::Invalid(e.without_url().to_string())
    } else {
        TrackerError::Unreachable(e.without_url().to_string())
    }
}

fn decode_error(e: reqwest::Error) -> TrackerError {
    if e.is_timeout() { TrackerError::Timeout } else { TrackerError::Invalid(e.without_url().to_string()) }
}

#[async_trait]
impl BugTracker for ClickUpTracker {
    fn enabled(&self) -> bool {
        true
    }

    async fn create_task(&self, task: &TrackerTask) -> Result<String, TrackerError> {
        let body = json!({
            "name": task.name,
            "description": task.description,
            "priority": clickup_priority(task.priority),
            "tags": task.tags,
        });
        let response = self.send(self.http.post(self.url(&["task"])).json(&body)).await?;
        let created: CreatedTask = response.json().await.map_err(decode_error)?;
        if created.id.is_empty() {
            return Err(TrackerError::Invalid("the created task has no id".into()));
        }
        Ok(created.id)
    }

    async fn find_task(&self, name: &str, created_after: Timestamp) -> Result<Option<String>, TrackerError> {
        // A minute of slack for clock differences between us and ClickUp.
        let since_ms = (created_after.timestamp_millis() - 60_000).max(0).to_string();
        for page in 0..self.settings.lookup_pages {
            let request = self.http.get(self.url(&["task"])).query(&[
                ("page", page.to_string().as_str()),
                ("include_closed", "true"),
                ("subtasks", "true"),
                ("date_created_gt", since_ms.as_str()),
            ]);
            let listed: TaskPage = self.send(request).await?.json().await.map_err(decode_error)?;
            if let Some(found) = listed.tasks.iter().find(|t| t.name == name) {
                return Ok(Some(found.id.clone()));
            }
            if listed.tasks.is_empty() || listed.last_page.unwrap_or(true) {
                break;
            }
        }
        Ok(None)
    }

    async fn ping(&self) -> Result<(), TrackerError> {
        self.send(self.http.get(self.url(&[]))).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_map_to_clickup_numbers() {
        let table = [
            (BugPriority::Urgent, 1),
            (BugPriority::High, 2),
            (BugPriority::Medium, 3),
            (BugPriority::Normal, 3),
            (BugPriority::Low, 4),
        ];
        for (priority, number) in table {
            assert_eq!(clickup_priority(priority), number, "{priority}");
        }
    }

    #[test]
    fn settings_are_checked_and_the_token_never_printed() {
        let ok = ClickUpSettings::new(
            "https://api.clickup.com/api/v2/",
            "pk_123_SECRET",
            "901",
            Duration::from_secs(1),
            3,
        )
        .expect("valid");
        assert_eq!(ok.base_url.as_str(), "https://api.clickup.com/api/v2");
        let printed = format!("{ok:?}");
        assert!(!printed.contains("SECRET"), "{printed}");
        let table = [
            ("ftp://x", "pk", "1"),
            ("not a url", "pk", "1"),
            ("https://x", " ", "1"),
            ("https://x", "pk\n1", "1"),
            ("https://x", "pk", ""),
        ];
        for (url, token, list) in table {
            assert!(
                ClickUpSettings::new(url, token, list, Duration::from_secs(1), 1).is_err(),
                "{url} {list}"
            );
        }
    }

    #[test]
    fn urls_name_the_list() {
        let settings =
            ClickUpSettings::new("http://127.0.0.1:9/api/v2", "pk", "90 1", Duration::from_secs(1), 1)
                .expect("valid");
        let tracker = ClickUpTracker::new(settings).expect("client");
        assert_eq!(tracker.url(&["task"]).as_str(), "http://127.0.0.1:9/api/v2/list/90%201/task");
        assert_eq!(tracker.url(&[]).as_str(), "http://127.0.0.1:9/api/v2/list/90%201");
    }
}
