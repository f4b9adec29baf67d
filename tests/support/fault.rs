//! A loopback fault proxy in front of moto, for what moto does not enforce
//! (an identity policy's MFA condition): each request goes to `answer`
//! first; what it answers (a status line's code and an XML body) is sent
//! back as AWS would, anything else is relayed to moto unchanged.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

/// Decides one request from its head and body: `Some((status, xml))` answers it, `None` relays it.
pub type Answer = dyn Fn(&str, &str) -> Option<(u16, String)> + Send + Sync;

fn read_message(reader: &mut BufReader<TcpStream>) -> Option<(String, Vec<u8>)> {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        head.push_str(&line);
        if line == "\r\n" {
            break;
        }
    }
    let length = head
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").and_then(|v| v.trim().parse().ok()))
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((head, body))
}

fn relay(client: TcpStream, upstream: u16, answer: &Answer) -> Option<()> {
    let mut reader = BufReader::new(client.try_clone().ok()?);
    let mut writer = client;
    while let Some((head, body)) = read_message(&mut reader) {
        if let Some((status, xml)) = answer(&head, &String::from_utf8_lossy(&body)) {
            write!(
                writer,
                "HTTP/1.1 {status} Forbidden\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n{xml}",
                xml.len()
            )
            .ok()?;
            continue;
        }
        let mut up = TcpStream::connect(("127.0.0.1", upstream)).ok()?;
        up.write_all(head.as_bytes()).ok()?;
        up.write_all(&body).ok()?;
        let (reply, reply_body) = read_message(&mut BufReader::new(up))?;
        writer.write_all(reply.as_bytes()).ok()?;
        writer.write_all(&reply_body).ok()?;
    }
    Some(())
}

/// Starts the proxy in front of moto's `upstream` port; returns its endpoint.
pub fn proxy(upstream: u16, answer: Arc<Answer>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let answer = answer.clone();
            std::thread::spawn(move || relay(client, upstream, answer.as_ref()));
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// AWS's AccessDenied for an IAM request denied by a Deny in an identity-based policy.
pub fn explicit_identity_deny(user_arn: &str, action: &str) -> String {
    format!(
        "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: {user_arn} is not authorized to perform: {action} on resource: {user_arn} with an explicit deny in an identity-based policy</Message></Error><RequestId>4b1e</RequestId></ErrorResponse>"
    )
}

/// The `Action=` of a query-protocol request body.
pub fn query_action(body: &str) -> Option<&str> {
    body.split('&').find_map(|pair| pair.strip_prefix("Action="))
}
