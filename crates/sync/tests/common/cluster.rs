//! A throwaway PostgreSQL cluster for one test: initdb in a temp folder, started on a
//! free loopback port, stopped and removed on Drop (also when the test panics).
//!
//! initdb refuses to run as root, so as root every PostgreSQL program runs as the
//! `postgres` user (`runuser -u postgres --`) in a folder that user owns.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chipwatch_sync::Server;

/// Where Debian's PostgreSQL 15 puts initdb and pg_ctl (override with CHIPWATCH_PG_BIN).
const DEFAULT_BIN: &str = "/usr/lib/postgresql/15/bin";
pub const SUPERUSER: &str = "chipwatch_test_admin";

pub struct Cluster {
    pub port: u16,
    password: String,
    bin: PathBuf,
    as_postgres: bool,
    started: bool,
    /// More server settings (`-c name=value …`), e.g. TLS.
    extra: String,
    // Last, so it is removed after the server stopped.
    dir: tempfile::TempDir,
}

impl Cluster {
    /// initdb (scram-sha-256, a superuser with a random password) and pg_ctl start.
    pub fn start() -> Cluster {
        Cluster::start_configured(|_| String::new())
    }

    /// [`start`](Cluster::start), with `prepare` writing files into the
    /// cluster's folder first (handed to the server's user) and returning
    /// more server settings.
    pub fn start_configured(prepare: impl FnOnce(&Path) -> String) -> Cluster {
        let bin = std::env::var_os("CHIPWATCH_PG_BIN")
            .map_or_else(|| PathBuf::from(DEFAULT_BIN), PathBuf::from);
        assert!(
            bin.join("initdb").exists(),
            "PostgreSQL is not installed ({} has no initdb): run scripts/install-deps.sh",
            bin.display()
        );
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("chipwatch-pg-")
            .tempdir()
            .expect("temp dir");
        let password = random_hex();
        let mut cluster = Cluster {
            port: 0,
            password,
            bin,
            as_postgres,
            started: false,
            extra: String::new(),
            dir,
        };
        let pwfile = cluster.dir.path().join("pw");
        std::fs::write(&pwfile, format!("{}\n", cluster.password)).expect("password file");
        if as_postgres {
            let (uid, gid) = postgres_ids();
            for p in [cluster.dir.path(), pwfile.as_path()] {
                std::os::unix::fs::chown(p, Some(uid), Some(gid)).expect("chown to postgres");
            }
        }
        let data = cluster.data();
        let out = cluster.run(
            "initdb",
            &[
                "-D",
                path_str(&data),
                "-U",
                SUPERUSER,
                "--pwfile",
                path_str(&pwfile),
                "-A",
                "scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
                "--no-instructions",
            ],
        );
        assert!(out.status.success(), "initdb failed: {}", show(&out));
        cluster.extra = prepare(cluster.dir.path());
        if as_postgres {
            let (uid, gid) = postgres_ids();
            for entry in std::fs::read_dir(cluster.dir.path()).expect("cluster folder") {
                let path = entry.expect("an entry").path();
                if path.is_file() {
                    std::os::unix::fs::chown(&path, Some(uid), Some(gid))
                        .expect("chown to postgres");
                }
            }
        }
        // A port that was free a moment ago may be taken by a test running beside this one.
        for attempt in 1..=5 {
            cluster.port = free_port();
            match cluster.launch() {
                Ok(()) => return cluster,
                Err(log_text) => assert!(
                    attempt < 5 && log_text.contains("could not bind"),
                    "pg_ctl start failed: {log_text}"
                ),
            }
        }
        unreachable!()
    }

    /// Stops the server and starts it again on the same port (the data kept).
    pub fn restart(&mut self) {
        self.stop();
        self.launch().expect("pg_ctl start again");
    }

    /// pg_ctl start on `self.port`; the server log on failure.
    fn launch(&mut self) -> Result<(), String> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=40 -c shared_buffers=32MB {}",
            self.port,
            path_str(self.dir.path()),
            self.extra
        );
        let log = self.dir.path().join("log");
        let data = self.data();
        let out = self.run(
            "pg_ctl",
            &[
                "-D",
                path_str(&data),
                "-l",
                path_str(&log),
                "-w",
                "-t",
                "60",
                "-o",
                &options,
                "start",
            ],
        );
        if out.status.success() {
            self.started = true;
            return Ok(());
        }
        Err(format!(
            "{}\n{}",
            show(&out),
            std::fs::read_to_string(&log).unwrap_or_default()
        ))
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn run(&self, program: &str, args: &[&str]) -> Output {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        command
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run a PostgreSQL program")
    }

    /// A connection URL for a login.
    pub fn url(&self, user: &str, password: &str) -> String {
        format!(
            "postgresql://{user}:{password}@127.0.0.1:{}/postgres",
            self.port
        )
    }

    pub fn superuser_url(&self) -> String {
        self.url(SUPERUSER, &self.password)
    }

    /// A plain connection as the superuser, for setting up and for looking behind the API.
    pub fn superuser(&self) -> postgres::Client {
        postgres::Client::connect(&self.superuser_url(), postgres::NoTls).expect("superuser login")
    }

    /// Installs the team schema and creates login roles analyst1..analyst3 (chipwatch_user).
    pub fn install(&self) -> Team<'_> {
        let mut admin = Server::connect(&self.superuser_url()).expect("connect as superuser");
        admin.install_or_upgrade().expect("install the team schema");
        let mut client = self.superuser();
        let mut passwords = Vec::new();
        for name in ["analyst1", "analyst2", "analyst3"] {
            let password = random_hex();
            client
                .batch_execute(&format!(
                    "CREATE ROLE {name} LOGIN PASSWORD '{password}' IN ROLE chipwatch_user"
                ))
                .expect("create a login");
            passwords.push((name.to_string(), password));
        }
        Team {
            cluster: self,
            passwords,
        }
    }

    /// Stops the server now (Drop then only removes the folder).
    pub fn stop(&mut self) {
        if self.started {
            let data = self.data();
            let out = self.run(
                "pg_ctl",
                &["-D", path_str(&data), "-m", "fast", "-w", "stop"],
            );
            if !out.status.success() {
                eprintln!("pg_ctl stop failed: {}", show(&out));
            }
            self.started = false;
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A cluster with the schema installed and three analysts.
pub struct Team<'a> {
    pub cluster: &'a Cluster,
    passwords: Vec<(String, String)>,
}

impl Team<'_> {
    pub fn url(&self, analyst: &str) -> String {
        let password = &self
            .passwords
            .iter()
            .find(|(n, _)| n == analyst)
            .expect("an analyst")
            .1;
        self.cluster.url(analyst, password)
    }

    /// The Chipwatch client logged in as an analyst.
    pub fn login(&self, analyst: &str) -> Server {
        Server::connect(&self.url(analyst)).expect("analyst login")
    }

    /// A plain connection as an analyst, for direct SELECTs.
    pub fn raw(&self, analyst: &str) -> postgres::Client {
        postgres::Client::connect(&self.url(analyst), postgres::NoTls).expect("analyst login")
    }
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().expect("id -u");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

fn postgres_ids() -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let out = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .expect("id postgres");
        assert!(
            out.status.success(),
            "there is no postgres user: install PostgreSQL (scripts/install-deps.sh)"
        );
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("a numeric id")
    };
    (id("-u"), id("-g"))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind a free port")
        .local_addr()
        .expect("its address")
        .port()
}

fn random_hex() -> String {
    use std::io::Read;
    let mut buf = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .expect("random bytes");
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

fn show(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
