//! A minimal HTTP/1.1 client around hyper. Provided.

use hyper::client::HttpConnector;
use hyper::header::{HeaderName, HeaderValue, CONTENT_TYPE};
use hyper::{Body, Client, HeaderMap, Method};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// An HTTP client for calling other services.
///
/// **It never gives up on its own.** If the other side accepts the connection and then says
/// nothing, `request(...).await` waits forever. Put a deadline around every call:
///
/// ```ignore
/// match tokio::time::timeout(Duration::from_secs(1), client.get(&url, &[])).await {
///     Err(_elapsed) => { /* no answer within a second */ }
///     Ok(Err(client_error)) => { /* could not connect, or the connection broke */ }
///     Ok(Ok(response)) => { /* any HTTP status, check response.status */ }
/// }
/// ```
///
/// It opens a new connection for every request (no connection pool), which keeps failure
/// handling simple: a service that was restarted is reached again on the next request.
/// `Clone` is cheap: clones share the same underlying hyper client.
#[derive(Clone, Debug)]
pub struct HttpClient {
    inner: Client<HttpConnector, Body>,
}

/// What came back: any status, 2xx or not.
#[derive(Debug, Clone)]
pub struct ClientResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl ClientResponse {
    /// `true` for 200-299.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The value of a header, if present and valid text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Decodes the body with [`contract::decode`].
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, contract::ApiError> {
        contract::decode(&self.body)
    }

    /// The error envelope in the body, if the body is one. A service that does not follow
    /// the contract (or a proxy in between) may answer with anything, so this is an `Option`.
    pub fn error_envelope(&self) -> Option<contract::ErrorEnvelope> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as text, for logs and messages.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why a request got no HTTP answer at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The URL could not be parsed, or a header was invalid.
    #[error("invalid request to {url}: {reason}")]
    InvalidRequest { url: String, reason: String },
    /// The TCP connection could not be established (nothing listens there, for example).
    #[error("could not connect to {url}: {reason}")]
    Connect { url: String, reason: String },
    /// The connection was established but broke before a complete answer arrived.
    #[error("request to {url} failed: {reason}")]
    Transport { url: String, reason: String },
}

impl Default for HttpClient {
    fn default() -> Self {
        HttpClient::new()
    }
}

impl HttpClient {
    pub fn new() -> HttpClient {
        let inner = Client::builder().pool_max_idle_per_host(0).build_http();
        HttpClient { inner }
    }

    /// Sends one request and reads the whole answer.
    pub async fn request(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<ClientResponse, ClientError> {
        let invalid = |reason: String| ClientError::InvalidRequest { url: url.to_owned(), reason };
        let mut builder = hyper::Request::builder().method(method).uri(url);
        {
            let map = builder.headers_mut().ok_or_else(|| invalid("bad method or URL".to_owned()))?;
            if !body.is_empty() {
                map.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            for (name, value) in headers {
                let name = HeaderName::try_from(*name).map_err(|e| invalid(e.to_string()))?;
                let value = HeaderValue::try_from(*value).map_err(|e| invalid(e.to_string()))?;
                map.insert(name, value);
            }
        }
        let request = builder.body(Body::from(body)).map_err(|e| invalid(e.to_string()))?;
        let response = self.inner.request(request).await.map_err(|error| {
            let reason = error.to_string();
            if error.is_connect() {
                ClientError::Connect { url: url.to_owned(), reason }
            } else {
                ClientError::Transport { url: url.to_owned(), reason }
            }
        })?;
        let status = response.status().as_u16();
        let (parts, body) = response.into_parts();
        let body = hyper::body::to_bytes(body)
            .await
            .map_err(|error| ClientError::Transport { url: url.to_owned(), reason: error.to_string() })?;
        Ok(ClientResponse { status, headers: parts.headers, body: body.to_vec() })
    }

    /// `POST` with a JSON body.
    pub async fn post_json<T: Serialize + ?Sized>(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        value: &T,
    ) -> Result<ClientResponse, ClientError> {
        let body = serde_json::to_vec(value).expect("request types always serialize");
        self.request(Method::POST, url, headers, body).await
    }

    /// `GET` without a body.
    pub async fn get(&self, url: &str, headers: &[(&str, &str)]) -> Result<ClientResponse, ClientError> {
        self.request(Method::GET, url, headers, Vec::new()).await
    }
}
