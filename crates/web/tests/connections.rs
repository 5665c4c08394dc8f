//! The server's connections: a slow or endless sender of headers is let go,
//! and headers beyond the limit are refused, while ordinary requests are
//! answered.

use sightline_store::Store;
use sightline_web::{listen, serve_on, Settings, HEADER_TIME};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_or_oversized_headers_are_let_go_and_ordinary_requests_answered() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("s.db").to_str().unwrap()).await.unwrap();
    let listener = listen("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(serve_on(store, listener, Settings::default()));
    let answer = tokio::task::spawn_blocking(move || {
        // An ordinary request.
        let mut ok = std::net::TcpStream::connect(address).unwrap();
        ok.write_all(b"GET /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut text = String::new();
        ok.read_to_string(&mut text).unwrap();
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        // Headers far beyond the limit.
        let mut big = std::net::TcpStream::connect(address).unwrap();
        let _ = big
            .write_all(format!("GET /login HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n\r\n", "a".repeat(200_000)).as_bytes());
        let mut text = String::new();
        let _ = big.read_to_string(&mut text);
        assert!(!text.starts_with("HTTP/1.1 200"), "{}", &text[..text.len().min(200)]);
        // Headers that never end: the connection is closed after the time allowed.
        let mut slow = std::net::TcpStream::connect(address).unwrap();
        slow.write_all(b"GET /login HTTP/1.1\r\nHost: x\r\n").unwrap();
        slow.set_read_timeout(Some(HEADER_TIME + Duration::from_secs(10))).unwrap();
        let started = Instant::now();
        let mut rest = Vec::new();
        let closed = slow.read_to_end(&mut rest).is_ok();
        (closed, started.elapsed())
    })
    .await
    .unwrap();
    assert!(answer.0, "the server closed the connection");
    assert!(answer.1 <= HEADER_TIME + Duration::from_secs(5), "after {:?}", answer.1);
}
