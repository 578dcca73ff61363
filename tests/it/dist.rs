//! The release as an author gets it: `dist build` makes this machine's Linux archive and the
//! installers (as the release workflow does for every platform), the archive's checksum
//! holds, the program inside runs and builds a site, and the shell installer, fetching from a
//! local server instead of the releases page, installs a program that runs. It needs `dist`
//! (cargo-dist) and a release build, so it is `#[ignore]`d; `cargo test -- --include-ignored`
//! (as `.ci/run` does, after installing `dist`) runs it, failing without it.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

use crate::support::TestSite;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `dist`, on the PATH or where `cargo install` puts it.
fn dist() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("dist"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    on_path
        .into_iter()
        .chain(home.map(|h| h.join("bin/dist")))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("this test needs dist: cargo install --locked cargo-dist"))
}

fn ok(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Builds the release artefacts for this machine, as the release workflow does on each
/// platform, and returns the folder `dist` leaves them in. The build of the program goes to
/// a target folder of its own, apart from the tests'.
fn build_release(target: &str) -> PathBuf {
    let dist = |args: &[&str]| {
        let out = Command::new(dist())
            .args(args)
            .current_dir(repo())
            .env("CARGO_TARGET_DIR", repo().join("target/dist-test"))
            .output()
            .expect("run dist");
        ok(out, &format!("dist {}", args.join(" ")));
    };
    // Every platform's installers first (they build nothing), then this machine's archive
    // with the shell installer again, which now carries the archive's checksum.
    dist(&["build", "--artifacts=global"]);
    dist(&["build", "--artifacts=all", "--target", target]);
    repo().join("target/distrib")
}

/// Serves the files of `dir` over HTTP on loopback, one request per connection, for as
/// long as the test runs.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut line = String::new();
            let mut reader = BufReader::new(&stream);
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // The rest of the request's head is not needed.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let name = line
                .split(' ')
                .nth(1)
                .unwrap_or("/")
                .trim_start_matches('/');
            let mut stream = &stream;
            match std::fs::read(dir.join(name))
                .ok()
                .filter(|_| !name.contains(".."))
            {
                Some(body) => {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                }
                None => {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                }
            }
        }
    });
    url
}

fn version_of(program: &Path) -> String {
    let out = ok(
        Command::new(program).arg("--version").output().unwrap(),
        "pactline --version",
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The unpacked program builds both a new site and the reference timeline.
fn builds_sites(program: &Path, scratch: &Path) {
    let site = scratch.join("new-site");
    ok(
        Command::new(program)
            .args([
                "init",
                site.to_str().unwrap(),
                "--title",
                "Test",
                "--partners",
                "A,B",
            ])
            .output()
            .unwrap(),
        "pactline init",
    );
    ok(
        Command::new(program)
            .arg("build")
            .current_dir(&site)
            .output()
            .unwrap(),
        "pactline build of a new site",
    );
    assert!(site.join("public/sessions/1/index.html").is_file());
    let reference = TestSite::reference();
    ok(
        Command::new(program)
            .arg("build")
            .current_dir(&reference.root)
            .output()
            .unwrap(),
        "pactline build of the reference timeline",
    );
    assert!(reference.path("public/sessions/11/index.html").is_file());
}

#[test]
#[ignore = "needs dist (cargo-dist) and a release build"]
fn the_linux_archive_and_the_shell_installer_give_a_working_pactline() {
    if !cfg!(target_os = "linux") {
        panic!("the archive tested is the Linux one");
    }
    let target = format!("{}-unknown-linux-gnu", std::env::consts::ARCH);
    let distrib = build_release(&target);
    let name = format!("pactline-{target}.tar.xz");
    let archive = distrib.join(&name);
    let bytes = std::fs::read(&archive).unwrap_or_else(|e| panic!("{}: {e}", archive.display()));

    let sums = std::fs::read_to_string(distrib.join(format!("{name}.sha256"))).unwrap();
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        sums.split_whitespace().next(),
        Some(digest.as_str()),
        "{sums}"
    );

    let scratch = tempfile::tempdir().unwrap();
    ok(
        Command::new("tar")
            .arg("-xJf")
            .arg(&archive)
            .arg("-C")
            .arg(scratch.path())
            .output()
            .expect("run tar"),
        "tar -xJf",
    );
    let unpacked = scratch.path().join(format!("pactline-{target}"));
    let program = unpacked.join("pactline");
    assert!(
        unpacked.join("README.md").is_file(),
        "the archive carries the README"
    );
    let version = version_of(&program);
    assert_eq!(version, format!("pactline {}", env!("CARGO_PKG_VERSION")));
    builds_sites(&program, scratch.path());

    // The shell installer, as `curl … | sh` runs it, with a home of its own.
    let home = scratch.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let installer = distrib.join("pactline-installer.sh");
    let out = Command::new("sh")
        .arg(&installer)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("INSTALLER_DOWNLOAD_URL", serve(distrib.clone()))
        .env("INSTALLER_NO_MODIFY_PATH", "1")
        .output()
        .unwrap();
    let out = ok(out, "pactline-installer.sh");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!said.contains("no checksums to verify"), "{said}");
    let installed = home.join(".local/bin/pactline");
    assert_eq!(version_of(&installed), version, "{said}");

    // Windows has no shell here: its installer is checked for what it fetches.
    let ps1 = std::fs::read_to_string(distrib.join("pactline-installer.ps1")).unwrap();
    assert!(ps1.contains("pactline-x86_64-pc-windows-msvc.zip"));
}
