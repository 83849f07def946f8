//! Child processes and the files they use: the real `qanda` binary (import,
//! user add, serve), the baseline server, a temporary directory and a
//! PostgreSQL schema. Every guard here cleans up when dropped, so an error,
//! a panic or Ctrl-C leaves no server running and no files behind.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context};
use bytes::Bytes;
use http_body_util::Full;
use hyper::{Request, StatusCode};
use tokio::io::AsyncWriteExt;
use tokio::process::{Child, Command};
use tokio::time::Instant;

use crate::load;

/// A directory under the system's temporary directory, removed on drop.
pub struct Workspace {
    pub dir: PathBuf,
}

impl Workspace {
    pub fn new() -> anyhow::Result<Workspace> {
        let dir = std::env::temp_dir().join(format!("qanda-bench-{:016x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("could not create {}", dir.display()))?;
        Ok(Workspace { dir })
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Copies an executable in, keeping its permissions.
    pub fn copy_executable(&self, from: &Path, name: &str) -> anyhow::Result<PathBuf> {
        let to = self.path(name);
        std::fs::copy(from, &to)
            .with_context(|| format!("could not copy {} to {}", from.display(), to.display()))?;
        Ok(to)
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A PostgreSQL schema of the bench's own, dropped (with psql) on drop.
pub struct PgSchema {
    pub url: String,
    pub name: String,
}

impl PgSchema {
    pub fn create(url: &str) -> anyhow::Result<PgSchema> {
        let name = format!("bench_{:016x}", rand::random::<u64>());
        psql(url, &format!("CREATE SCHEMA \"{name}\"")).context(
            "creating a PostgreSQL schema with psql (is psql installed and the URL right?)",
        )?;
        Ok(PgSchema {
            url: url.to_owned(),
            name,
        })
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Err(error) = psql(
            &self.url,
            &format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name),
        ) {
            eprintln!(
                "could not drop PostgreSQL schema {}: {error:#}; drop it by hand",
                self.name
            );
        }
    }
}

fn psql(url: &str, sql: &str) -> anyhow::Result<()> {
    let output = std::process::Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .stdin(Stdio::null())
        .output()
        .context("running psql")?;
    if !output.status.success() {
        bail!(
            "psql failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// Where a qanda command keeps its data.
#[derive(Debug, Clone)]
pub struct Database {
    pub url: String,
    pub schema: Option<String>,
}

/// A command for a child process that dies with the bench: killed when its
/// handle is dropped and (Linux) when the bench itself is killed.
fn child_command(program: &Path) -> Command {
    let mut command = Command::new(program);
    command.kill_on_drop(true).stdin(Stdio::null());
    // Our children must not see the caller's qanda settings: the bench
    // sets every one it means to.
    for (key, _) in std::env::vars_os() {
        if let Some(key) = key.to_str() {
            if key.starts_with("QANDA_") || key == "DATABASE_URL" {
                command.env_remove(key);
            }
        }
    }
    // SAFETY: prctl is async-signal-safe and touches only the new process.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    command
}

/// The real `qanda` binary.
pub struct Qanda {
    pub path: PathBuf,
}

impl Qanda {
    /// A command on `db`. Logs at qanda's default level (`info`: one line
    /// per request), as in production; `serve`'s go to a file.
    fn command(&self, db: &Database) -> Command {
        let mut command = child_command(&self.path);
        command.env("DATABASE_URL", &db.url);
        if let Some(schema) = &db.schema {
            command.env("QANDA_DATABASE_SCHEMA", schema);
        }
        command
    }

    /// `qanda import FILE`.
    pub async fn import(&self, db: &Database, file: &Path) -> anyhow::Result<String> {
        let output = self
            .command(db)
            .env("QANDA_LOG", "warn")
            .arg("import")
            .arg(file)
            .output()
            .await
            .context("running qanda import")?;
        if !output.status.success() {
            bail!(
                "qanda import failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// `qanda user add`, the password on standard input.
    pub async fn add_user(
        &self,
        db: &Database,
        email: &str,
        role: &str,
        password: &str,
    ) -> anyhow::Result<()> {
        let mut child = self
            .command(db)
            .env("QANDA_LOG", "warn")
            .args([
                "user", "add", "--email", email, "--name", email, "--role", role,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("running qanda user add")?;
        let mut stdin = child.stdin.take().context("qanda's standard input")?;
        stdin.write_all(format!("{password}\n").as_bytes()).await?;
        drop(stdin);
        let output = child.wait_with_output().await?;
        if !output.status.success() {
            bail!(
                "qanda user add failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(())
    }

    /// Starts `qanda serve` on a free port and waits until `/readyz` answers
    /// 200; `ready` is the time from spawning the process to that answer.
    pub async fn serve(
        &self,
        db: &Database,
        settings: Serve,
        log: &Path,
    ) -> anyhow::Result<Server> {
        let port = free_port()?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut command = self.command(db);
        command
            .arg("serve")
            .env("QANDA_BIND", addr.to_string())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log)?);
        if settings.no_sample {
            command.env("QANDA_NO_SAMPLE", "true");
        }
        if settings.no_response_cache {
            command.env("QANDA_NO_RESPONSE_CACHE", "true");
        }
        if let Some(token) = settings.metrics_token {
            command.env("QANDA_METRICS_TOKEN", token);
        }
        let started = Instant::now();
        let mut child = command.spawn().context("starting qanda serve")?;
        let deadline = started + Duration::from_secs(60);
        loop {
            if let Some(status) = child.try_wait()? {
                bail!(
                    "qanda serve exited ({status}) before it was ready:\n{}",
                    tail(log)
                );
            }
            if Instant::now() > deadline {
                bail!("qanda serve was not ready within 60 s:\n{}", tail(log));
            }
            let poll =
                tokio::time::timeout(Duration::from_secs(2), load::fetch(addr, readyz(addr)?));
            if let Ok(Ok((StatusCode::OK, _, _))) = poll.await {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let ready = started.elapsed();
        Ok(Server {
            child,
            addr,
            ready,
            log: log.to_owned(),
        })
    }
}

fn readyz(addr: SocketAddr) -> anyhow::Result<Request<Full<Bytes>>> {
    Ok(load::Fixed::get(addr, "/readyz")?.build())
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Serve {
    pub no_sample: bool,
    pub no_response_cache: bool,
    /// Serve /metrics with this token (adds a middleware to every request,
    /// so only for the publish run).
    pub metrics_token: Option<&'static str>,
}

/// A running `qanda serve`.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub ready: Duration,
    log: PathBuf,
}

impl Server {
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Its exit status, if it has stopped.
    pub fn exited(&mut self) -> anyhow::Result<Option<std::process::ExitStatus>> {
        Ok(self.child.try_wait()?)
    }

    /// The end of its log, for error messages.
    pub fn log_tail(&self) -> String {
        tail(&self.log)
    }

    /// Asks it to stop (SIGTERM: finish in-flight requests, close the
    /// database cleanly) and waits; kills it after 10 s.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        terminate(&mut self.child).await
    }
}

async fn terminate(child: &mut Child) -> anyhow::Result<()> {
    if let Some(pid) = child.id() {
        // SAFETY: kill(2) with a pid we spawned and have not yet reaped.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGTERM);
        }
        if tokio::time::timeout(Duration::from_secs(10), child.wait())
            .await
            .is_ok()
        {
            return Ok(());
        }
    }
    child.kill().await.context("killing a child process")?;
    Ok(())
}

/// The fixed-bytes server (this binary's hidden `baseline` mode).
pub struct Baseline {
    child: Child,
    pub addr: SocketAddr,
}

impl Baseline {
    pub async fn start(
        exe: &Path,
        body_file: &Path,
        content_type: &str,
    ) -> anyhow::Result<Baseline> {
        let port = free_port()?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut child = child_command(exe)
            .arg("baseline")
            .args(["--port", &port.to_string()])
            .arg("--body-file")
            .arg(body_file)
            .args(["--content-type", content_type])
            .spawn()
            .context("starting the baseline server")?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            if let Some(status) = child.try_wait()? {
                bail!("the baseline server exited ({status}) before it listened");
            }
            if Instant::now() > deadline {
                bail!("the baseline server did not listen within 10 s");
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok(Baseline { child, addr })
    }

    pub async fn stop(mut self) -> anyhow::Result<()> {
        terminate(&mut self.child).await
    }
}

/// A port nobody is listening on now (the OS picks it).
pub fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}

fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Resident memory of a process, from /proc/PID/status, in kB.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// VmRSS: resident now.
    pub rss_kb: u64,
    /// VmHWM: the most it has been resident (since the last reset).
    pub peak_kb: u64,
}

pub fn memory(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    Some(Memory {
        rss_kb: field("VmRSS:")?,
        peak_kb: field("VmHWM:")?,
    })
}

/// Resets VmHWM to the current VmRSS (Linux ≥ 4.0), so the peak read after
/// a run is that run's. False if the kernel would not.
pub fn reset_peak(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}

/// nginx serving one file's bytes to every request, GET or POST: the
/// fixed-bytes baseline a real web server sets. Runs in a directory of
/// its own (configuration, pid, temporary files, error log), one worker
/// per core, without an access log.
pub struct Nginx {
    child: Option<Child>,
    pub addr: SocketAddr,
}

/// Where nginx is: `--nginx PATH`, else `nginx` on the PATH or in /usr/sbin.
pub fn find_nginx(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    if let Some(path) = given {
        return Ok(path.to_owned());
    }
    let mut places: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join("nginx"))
                .collect()
        })
        .unwrap_or_default();
    places.push(PathBuf::from("/usr/sbin/nginx"));
    places.into_iter().find(|p| p.is_file()).context(
        "nginx is not installed: the bench compares qanda with nginx serving the same bytes. \
         Install it (Debian/Ubuntu: `apt-get install nginx`), pass --nginx PATH, \
         or run with --no-nginx to compare with the built-in hyper server only",
    )
}

impl Nginx {
    pub async fn start(
        nginx: &Path,
        dir: &Path,
        body_file: &Path,
        content_type: &str,
    ) -> anyhow::Result<Nginx> {
        std::fs::create_dir_all(dir)?;
        let port = free_port()?;
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let root = body_file.parent().context("the body file's directory")?;
        let name = body_file
            .file_name()
            .and_then(|n| n.to_str())
            .context("the body file's name")?;
        let d = dir.display();
        // Every request, whatever its path or method, gets the file: a
        // POST to a static file is 405 in nginx, turned back into the file.
        let config = format!(
            "worker_processes auto;\n\
             pid {d}/nginx.pid;\n\
             error_log {d}/error.log warn;\n\
             events {{ worker_connections 4096; }}\n\
             http {{\n\
               access_log off;\n\
               client_body_temp_path {d}/body;\n\
               proxy_temp_path {d}/proxy;\n\
               fastcgi_temp_path {d}/fastcgi;\n\
               uwsgi_temp_path {d}/uwsgi;\n\
               scgi_temp_path {d}/scgi;\n\
               keepalive_requests 100000000;\n\
               sendfile on;\n\
               open_file_cache max=16 inactive=1h;\n\
               open_file_cache_valid 1h;\n\
               tcp_nodelay on;\n\
               types {{ }}\n\
               default_type \"{content_type}\";\n\
               server {{\n\
                 listen {addr};\n\
                 root {root};\n\
                 location / {{\n\
                   try_files /{name} =404;\n\
                   error_page 405 =200 /{name};\n\
                 }}\n\
               }}\n\
             }}\n",
            root = root.display(),
        );
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config)?;
        let error_log = dir.join("error.log");
        let mut command = child_command(nginx);
        command
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(&error_log)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", nginx.display()))?;
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            if let Some(status) = child.try_wait()? {
                bail!(
                    "nginx exited ({status}) before it listened:\n{}",
                    tail(&error_log)
                );
            }
            if Instant::now() > deadline {
                bail!("nginx did not listen within 10 s:\n{}", tail(&error_log));
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok(Nginx {
            child: Some(child),
            addr,
        })
    }

    /// SIGTERM: the master stops its workers, then itself.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        match self.child.take() {
            Some(mut child) => terminate(&mut child).await,
            None => Ok(()),
        }
    }
}

impl Drop for Nginx {
    /// Dropped without `stop` (an error, Ctrl-C): a SIGKILL to the master
    /// alone would leave its workers listening, so ask it to stop and give
    /// it a moment.
    fn drop(&mut self) {
        let Some(child) = &mut self.child else {
            return;
        };
        if let Some(pid) = child.id() {
            // SAFETY: kill(2) with a pid we spawned and have not yet reaped.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGTERM);
            }
            for _ in 0..100 {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}
