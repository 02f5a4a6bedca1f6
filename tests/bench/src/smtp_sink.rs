//! `bench smtp-sink`: a minimal SMTP server that accepts every mail and
//! counts it, for measuring how fast the outbox delivers. It speaks just
//! enough SMTP for a client such as lettre (greeting, EHLO/HELO, MAIL, RCPT,
//! DATA with dot-terminated content, RSET, NOOP, QUIT) and keeps nothing but
//! the count, which it writes to a file every 100 ms (and prints at start the
//! port it listens on).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// Runs the sink on 127.0.0.1:`port` (0: any free port) until killed.
pub async fn run(port: u16, count_file: String) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| format!("bind: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    println!("listening on {port}");
    let count = Arc::new(AtomicU64::new(0));
    let writer = count.clone();
    tokio::spawn(async move {
        let mut last = u64::MAX;
        loop {
            let n = writer.load(Ordering::Relaxed);
            if n != last {
                let _ = tokio::fs::write(&count_file, n.to_string()).await;
                last = n;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    loop {
        let (stream, _) = listener.accept().await.map_err(|e| format!("accept: {e}"))?;
        let count = count.clone();
        tokio::spawn(async move {
            let _ = session(stream, &count).await;
        });
    }
}

async fn session(stream: TcpStream, count: &AtomicU64) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write.write_all(b"220 bench-sink ESMTP\r\n").await?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if read.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let verb = String::from_utf8_lossy(&line).trim().to_ascii_uppercase();
        let reply: &[u8] = if verb.starts_with("EHLO") {
            b"250-bench-sink\r\n250 8BITMIME\r\n"
        } else if verb.starts_with("HELO") || verb.starts_with("MAIL") || verb.starts_with("RCPT") {
            b"250 OK\r\n"
        } else if verb.starts_with("RSET") || verb.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if verb == "DATA" {
            write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
            loop {
                line.clear();
                if read.read_until(b'\n', &mut line).await? == 0 {
                    return Ok(());
                }
                if line == b".\r\n" || line == b".\n" {
                    break;
                }
            }
            count.fetch_add(1, Ordering::Relaxed);
            b"250 OK queued\r\n"
        } else if verb == "QUIT" {
            write.write_all(b"221 Bye\r\n").await?;
            return Ok(());
        } else {
            b"502 Command not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}
