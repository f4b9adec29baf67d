//! The client against scripted servers: in-memory streams for framing and
//! limits, a real loopback listener for `send`'s time limits.

use super::body::Dechunk;
use super::*;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A stream whose server reads the request, writes `bytes` and closes (or
/// keeps the connection open without a word when `hold`).
async fn served(bytes: &[u8], hold: bool) -> tokio::io::DuplexStream {
    let bytes = bytes.to_vec();
    let (client, mut server) = tokio::io::duplex(256 * 1024);
    tokio::spawn(async move {
        let mut sink = [0u8; 1024];
        let _ = server.read(&mut sink).await;
        let _ = server.write_all(&bytes).await;
        if hold {
            std::future::pending::<()>().await;
        }
    });
    client
}

async fn answer(bytes: &[u8], limit: BodyLimit) -> Result<Response, Error> {
    let mut stream = served(bytes, false).await;
    write_request(&mut stream, b"GET / HTTP/1.1\r\n\r\n").await?;
    let (head, already) = read_head(&mut stream).await?;
    let body = read_body(&mut stream, &head, already, limit).await?;
    Ok(Response { head, body })
}

const STRICT: BodyLimit = BodyLimit { max: 64, overflow: Overflow::Fail };

#[test]
fn urls_keep_ipv6_brackets_and_default_ports() {
    let url = Url::parse(" http://[fd00:ec2::23]:8080/v2/creds?x=1 ").expect("url");
    assert_eq!((url.host(), url.bare_host(), url.port()), ("[fd00:ec2::23]", "fd00:ec2::23", 8080));
    assert_eq!((url.path(), url.authority()), ("/v2/creds?x=1", "[fd00:ec2::23]:8080".to_string()));
    assert!(url.ip().is_some());
    let url = Url::parse("https://sts.amazonaws.com").expect("url");
    assert_eq!((url.scheme(), url.port(), url.path()), (Scheme::Https, 443, "/"));
    assert!(matches!(Url::parse("169.254.170.2/creds"), Err(UrlError::Invalid(_))));
    assert_eq!(Url::parse("169.254.170.2:80"), Err(UrlError::NoScheme));
    assert_eq!(Url::parse("ftp://h/"), Err(UrlError::OtherScheme("ftp".into())));
    assert!(matches!(Url::parse("http://ho st/"), Err(UrlError::Invalid(_))));
}

#[test]
fn outside_text_in_a_path_cannot_split_the_request() {
    let url = Url::parse("http://169.254.169.254").expect("url");
    let role = url.with_path("/latest/meta-data/iam/security-credentials/a\rb c");
    assert_eq!(role.path(), "/latest/meta-data/iam/security-credentials/a%0Db%20c");
    let bytes = Request::new(&http::Method::GET, &role, Form::Origin).finish(b"");
    assert_eq!(bytes.iter().filter(|b| **b == b'\r').count(), 3, "{}", String::from_utf8_lossy(&bytes));
}

#[test]
fn requests_in_each_form() {
    let url = Url::parse("http://127.0.0.1:4566/x").expect("url");
    let post = Request::new(&http::Method::POST, &url, Form::Absolute)
        .header("Proxy-Authorization", &http::HeaderValue::from_static("Basic eA=="))
        .finish(b"body");
    assert_eq!(
        String::from_utf8_lossy(&post),
        "POST http://127.0.0.1:4566/x HTTP/1.1\r\nHost: 127.0.0.1:4566\r\nProxy-Authorization: Basic eA==\r\n\r\nbody"
    );
    let connect = Request::new(&http::Method::CONNECT, &url, Form::Authority).finish(b"");
    assert!(connect.starts_with(b"CONNECT 127.0.0.1:4566 HTTP/1.1\r\n"));
    let refused = Request::new(&http::Method::GET, &url, Form::Origin).text_header("Authorization", "a\r\nX: y");
    assert!(matches!(refused, Err(Error::HeaderValue(name)) if name == "Authorization"));
}

#[tokio::test]
async fn reads_content_length_chunked_and_read_to_close_bodies() {
    let sized = answer(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA", STRICT).await.expect("sized");
    assert_eq!((sized.status(), sized.body.as_slice()), (200, &b"hello"[..]));
    let chunked =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n";
    assert_eq!(answer(chunked, STRICT).await.expect("chunked").body, b"abcde");
    let closed = answer(b"HTTP/1.0 200 OK\r\n\r\nuntil the end", STRICT).await.expect("to close");
    assert_eq!(closed.body, b"until the end");
    let empty = answer(b"HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n", STRICT).await.expect("204");
    assert!(empty.body.is_empty());
}

#[test]
fn chunks_decode_across_reads_and_refuse_bad_framing() {
    let whole = b"4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n";
    let mut decoder = Dechunk::new();
    let (mut out, mut pending) = (Vec::new(), Vec::new());
    for byte in whole {
        pending.push(*byte);
        let used = decoder.feed(&pending, &mut out).expect("feed");
        pending.drain(..used);
    }
    assert!(decoder.done());
    assert_eq!(out, b"wikipedia");
    for bad in [&b"x\r\n"[..], b"+5\r\nhello\r\n", b"2\r\nabc\r\n"] {
        assert!(matches!(Dechunk::new().feed(bad, &mut Vec::new()), Err(Error::BadChunk(_))), "{bad:?}");
    }
}

#[tokio::test]
async fn bodies_over_the_limit_fail_or_keep_their_start() {
    let long = format!("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}", "a".repeat(100));
    assert!(matches!(answer(long.as_bytes(), STRICT).await, Err(Error::BodyTooLarge { limit: 64 })));
    let chunked =
        format!("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n{}\r\n0\r\n\r\n", "b".repeat(100));
    assert!(matches!(answer(chunked.as_bytes(), STRICT).await, Err(Error::BodyTooLarge { limit: 64 })));
    let endless = format!("HTTP/1.1 200 OK\r\n\r\n{}", "c".repeat(100));
    assert!(matches!(answer(endless.as_bytes(), STRICT).await, Err(Error::BodyTooLarge { limit: 64 })));
    let keep = BodyLimit { max: 64, overflow: Overflow::Keep };
    assert_eq!(answer(long.as_bytes(), keep).await.expect("kept").body, "a".repeat(64).as_bytes());
    assert_eq!(answer(endless.as_bytes(), keep).await.expect("kept").body, "c".repeat(64).as_bytes());
}

#[tokio::test]
async fn heads_over_the_limit_and_answers_that_are_not_http() {
    let long = format!("HTTP/1.1 200 OK\r\nX: {}\r\n", "a".repeat(HEAD_LIMIT));
    assert!(matches!(answer(long.as_bytes(), STRICT).await, Err(Error::HeadTooLong)));
    let ssh = answer(b"SSH-2.0-OpenSSH\r\n", STRICT).await;
    assert!(matches!(ssh, Err(Error::NotHttp { start, .. }) if start.starts_with(b"SSH")));
}

#[tokio::test]
async fn a_server_that_closes_early() {
    assert!(matches!(answer(b"", STRICT).await, Err(Error::Closed { got: 0 })));
    assert!(matches!(answer(b"HTTP/1.1 200", STRICT).await, Err(Error::Closed { got: 12 })));
    let cut = answer(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", STRICT).await;
    assert!(matches!(cut, Err(Error::BodyCut { got: 3 })));
    let cut = answer(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", STRICT).await;
    assert!(matches!(cut, Err(Error::BodyCut { got: 2 })));
}

#[tokio::test(start_paused = true)]
async fn a_body_read_stopped_at_the_caller_s_deadline_keeps_what_came() {
    let mut stream = served(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", true).await;
    write_request(&mut stream, b"GET / HTTP/1.1\r\n\r\n").await.expect("write");
    let (head, already) = read_head(&mut stream).await.expect("head");
    let mut body = Vec::new();
    let read = read_body_into(&mut stream, &head, already, STRICT, &mut body);
    assert!(tokio::time::timeout(Duration::from_secs(5), read).await.is_err(), "the server never finishes");
    assert_eq!(body, b"abc");
}

fn limits() -> Limits {
    Limits { connect: Duration::from_secs(5), answer: Duration::from_millis(200), max_body: 64 }
}

#[tokio::test]
async fn send_is_bounded_by_the_caller_s_answer_time_when_the_server_never_answers() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = Url::parse(&format!("http://{}/hang", listener.local_addr().expect("addr"))).expect("url");
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut sink = [0u8; 1024];
        let _ = socket.read(&mut sink).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    });
    assert!(matches!(send("GET", &url, &[], None, limits()).await, Err(Error::NoAnswer)));
    server.abort();
}

#[tokio::test]
async fn send_writes_one_plain_request_and_reads_the_answer() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.ends_with(b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.expect("read");
            if n == 0 {
                break;
            }
            request.extend_from_slice(&buf[..n]);
        }
        let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n").await;
        String::from_utf8_lossy(&request).into_owned()
    });
    let url = Url::parse(&format!("http://{addr}/latest/api/token")).expect("url");
    let ttl = [("x-aws-ec2-metadata-token-ttl-seconds", "21600")];
    let response = send("PUT", &url, &ttl, None, limits()).await.expect("answer");
    assert_eq!((response.status(), response.body.as_slice()), (200, &b"ok"[..]));
    let request = server.await.expect("server");
    assert!(request.starts_with(&format!("PUT /latest/api/token HTTP/1.1\r\nHost: {addr}\r\n")), "{request}");
    assert!(request.contains("x-aws-ec2-metadata-token-ttl-seconds: 21600\r\nContent-Length: 0\r\n"), "{request}");
    let refused = Url::parse("https://127.0.0.1/").expect("url");
    assert!(matches!(send("GET", &refused, &[], None, limits()).await, Err(Error::NotPlainHttp)));
}
