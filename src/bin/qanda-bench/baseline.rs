//! The baseline: a hyper 1 HTTP/1.1 server with keep-alive on a
//! multi-threaded tokio runtime that answers every request with the same
//! bytes and content type. Whatever qanda does beyond sending bytes shows as
//! the gap between it and this server under the same load.

use std::convert::Infallible;
use std::path::Path;

use anyhow::Context;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

pub fn run(port: u16, body_file: &Path, content_type: &str) -> anyhow::Result<()> {
    let body = Bytes::from(
        std::fs::read(body_file)
            .with_context(|| format!("could not read {}", body_file.display()))?,
    );
    let content_type = HeaderValue::from_str(content_type).context("the content type")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(port, body, content_type))
}

async fn serve(port: u16, body: Bytes, content_type: HeaderValue) -> anyhow::Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .with_context(|| format!("could not listen on 127.0.0.1:{port}"))?;
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let (body, content_type) = (body.clone(), content_type.clone());
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                let (body, content_type) = (body.clone(), content_type.clone());
                async move {
                    // Read the request body whole, as any real server would.
                    let _ = request.into_body().collect().await;
                    let mut response = Response::new(Full::new(body));
                    response.headers_mut().insert(CONTENT_TYPE, content_type);
                    Ok::<_, Infallible>(response)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}
