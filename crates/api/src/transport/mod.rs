//! The listener under actix-web: plain HTTP/1.1 over TCP, with the parser's own error answers
//! rewritten as JSON (api.md §1.4; see [`rewrite`]). The application is the same actix `App`
//! that `HttpServer` would serve.

mod rewrite;

use std::io;
use std::net::TcpListener;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use actix_http::HttpService;
use actix_server::Server;
use actix_service::{IntoServiceFactory, ServiceFactoryExt, fn_service, map_config};
use actix_web::body::MessageBody;
use actix_web::dev::{AppConfig, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::rt::net::TcpStream;
use actix_web::{App, Error};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

pub use rewrite::Framing;

/// A connection whose outgoing bytes pass through [`Framing`].
pub struct JsonParserErrors<T> {
    io: T,
    framing: Framing,
    /// Rewritten bytes not yet accepted by the socket.
    out: Vec<u8>,
    sent: usize,
}

impl<T> JsonParserErrors<T> {
    pub fn new(io: T) -> Self {
        Self { io, framing: Framing::default(), out: Vec::new(), sent: 0 }
    }
}

fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl<T: AsyncWrite + Unpin> JsonParserErrors<T> {
    /// Writes what is pending; ready once the socket took all of it.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.out.len() {
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, &self.out[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.out.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for JsonParserErrors<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for JsonParserErrors<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        this.out = this.framing.feed(buf, &request_id);
        // The bytes are taken; what the socket cannot take now is written before anything else.
        if let Poll::Ready(Err(e)) = this.poll_drain(cx) {
            return Poll::Ready(Err(e));
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.out.is_empty() {
            this.out = this.framing.take_held();
        }
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.io).poll_shutdown(cx)
    }
}

/// How the listener runs.
#[derive(Debug, Clone)]
pub struct ListenerSettings {
    /// Worker threads; 0 = one per core.
    pub workers: usize,
    /// Seconds in-flight requests get after the shutdown signal.
    pub shutdown_timeout_s: u64,
}

/// Serves `factory()` (one `App` per worker) on `listener` until `shutdown` resolves.
pub fn serve<F, T, B>(
    listener: TcpListener,
    settings: &ListenerSettings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    factory: F,
) -> io::Result<Server>
where
    F: Fn() -> App<T> + Send + Clone + 'static,
    T: ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<B>,
            Error = Error,
            InitError = (),
        > + 'static,
    B: MessageBody + 'static,
{
    let addr = listener.local_addr()?;
    let mut builder = Server::build().shutdown_timeout(settings.shutdown_timeout_s).shutdown_signal(shutdown);
    if settings.workers > 0 {
        builder = builder.workers(settings.workers);
    }
    let graceful = builder.graceful_shutdown_signal();
    builder
        .listen("surgicase-api", listener, move || {
            let signal = graceful.clone();
            let app = factory().into_factory().map_err(|err| err.error_response());
            let http = HttpService::<JsonParserErrors<TcpStream>, _, _>::build()
                .client_request_timeout(Duration::from_secs(5))
                .client_disconnect_timeout(Duration::from_secs(1))
                .local_addr(addr)
                .graceful_shutdown_signal(move || {
                    let signal = signal.clone();
                    async move { signal.notified().await }
                })
                .h1(map_config(app, |_| AppConfig::default()));
            fn_service(|io: TcpStream| async move {
                let _ = io.set_nodelay(true);
                let peer = io.peer_addr().ok();
                Ok::<_, actix_http::error::DispatchError>((JsonParserErrors::new(io), peer))
            })
            .and_then(http)
        })
        .map(|builder| builder.run())
}
