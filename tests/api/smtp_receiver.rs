//! A real SMTP server on loopback for the tests: a tokio listener speaking
//! enough SMTP (EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT) for
//! lettre, in plain text (the app is given `smtp://127.0.0.1:PORT?tls=none`).
//! It keeps what it accepted, decodes the MIME parts, and can refuse the
//! first messages with a temporary 451 to exercise retries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub raw: String,
}

impl Received {
    /// A header's value (unfolded), by name.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.raw.split("\r\n\r\n").next()?;
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }

    /// The decoded body of the part with this content type (`text/plain`, `text/html`).
    pub fn part(&self, content_type: &str) -> Option<String> {
        let boundary = self
            .header("Content-Type")?
            .split("boundary=")
            .nth(1)?
            .trim_matches('"')
            .to_owned();
        let delimiter = format!("--{boundary}");
        self.raw.split(&delimiter).find_map(|part| {
            let (head, body) = part.split_once("\r\n\r\n")?;
            let head = head.to_lowercase();
            if !head.contains(&format!("content-type: {content_type}")) {
                return None;
            }
            let body = body.trim_end_matches("\r\n").trim_end_matches("--");
            Some(if head.contains("content-transfer-encoding: base64") {
                let joined: String = body.split_whitespace().collect();
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(joined)
                        .expect("base64 part"),
                )
                .expect("UTF-8 part")
            } else if head.contains("content-transfer-encoding: quoted-printable") {
                decode_quoted_printable(body)
            } else {
                body.to_owned()
            })
        })
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8 part")
}

#[derive(Clone)]
pub struct SmtpReceiver {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    refusals_left: Arc<AtomicUsize>,
    pub refused: Arc<AtomicUsize>,
}

impl SmtpReceiver {
    pub async fn start() -> SmtpReceiver {
        Self::refusing_first(0).await
    }

    /// Answers the first `refusals` messages' DATA with `451` (try again later).
    pub async fn refusing_first(refusals: usize) -> SmtpReceiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let receiver = SmtpReceiver {
            port: listener.local_addr().unwrap().port(),
            received: Arc::default(),
            refusals_left: Arc::new(AtomicUsize::new(refusals)),
            refused: Arc::default(),
        };
        let shared = receiver.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let _ = shared.session(socket).await;
                });
            }
        });
        receiver
    }

    /// The URL to give the app.
    pub fn url(&self) -> url::Url {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
            .parse()
            .unwrap()
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits (up to 20 s) until `count` messages have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let received = self.received();
            if received.len() >= count || tokio::time::Instant::now() > deadline {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn session(&self, socket: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 localhost test SMTP\r\n").await?;
        let mut mail_from = String::new();
        let mut rcpt_to = Vec::new();
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_owned();
            let verb = command
                .split([' ', ':'])
                .next()
                .unwrap_or("")
                .to_uppercase();
            let answer: &[u8] = match verb.as_str() {
                "EHLO" => b"250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                "HELO" => b"250 localhost\r\n",
                "MAIL" => {
                    mail_from = command[10..].trim().to_owned();
                    rcpt_to.clear();
                    b"250 OK\r\n"
                }
                "RCPT" => {
                    rcpt_to.push(command[8..].trim().to_owned());
                    b"250 OK\r\n"
                }
                "DATA" => {
                    write
                        .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                        .await?;
                    let mut raw = String::new();
                    loop {
                        let mut data = String::new();
                        if lines.read_line(&mut data).await? == 0 {
                            return Ok(());
                        }
                        if data == ".\r\n" {
                            break;
                        }
                        // Undo dot-stuffing.
                        raw.push_str(data.strip_prefix('.').unwrap_or(&data));
                    }
                    let refuse = self
                        .refusals_left
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                        .is_ok();
                    if refuse {
                        self.refused.fetch_add(1, Ordering::SeqCst);
                        b"451 4.3.0 Try again later\r\n"
                    } else {
                        self.received.lock().unwrap().push(Received {
                            mail_from: mail_from.clone(),
                            rcpt_to: rcpt_to.clone(),
                            raw,
                        });
                        b"250 OK queued\r\n"
                    }
                }
                "RSET" | "NOOP" => b"250 OK\r\n",
                "QUIT" => {
                    write.write_all(b"221 Bye\r\n").await?;
                    return Ok(());
                }
                _ => b"502 Command not implemented\r\n",
            };
            write.write_all(answer).await?;
        }
    }
}

#[test]
fn quoted_printable_decodes_soft_breaks_and_escapes() {
    assert_eq!(decode_quoted_printable("a=3Db=\r\nc"), "a=bc");
}
