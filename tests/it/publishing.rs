//! The publishing recipes under examples/ parse, and the nginx one serves a built site.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command};

use crate::support::TestSite;

fn example(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
    )
    .unwrap()
}

#[test]
fn github_and_gitlab_workflows_parse_and_build_the_site() {
    let gh: serde_yaml::Value = serde_yaml::from_str(&example("github-pages.yml")).unwrap();
    let steps = gh["jobs"]["build"]["steps"].as_sequence().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.starts_with("pactline build --base-url")),
        "{runs:?}"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));

    let gl: serde_yaml::Value = serde_yaml::from_str(&example("gitlab-ci.yml")).unwrap();
    assert_eq!(
        gl["pages"]["artifacts"]["paths"][0].as_str(),
        Some("public")
    );

    let netlify: toml::Table = toml::from_str(&example("netlify.toml")).unwrap();
    assert_eq!(netlify["build"]["publish"].as_str(), Some("public"));
    // Framing: the whole site only by itself, then the embeds (later rules win) by anyone.
    let csp: Vec<(&str, &str)> = (netlify["headers"].as_array().unwrap().iter())
        .filter_map(|h| {
            let value = h["values"].get("Content-Security-Policy")?.as_str()?;
            Some((h["for"].as_str()?, value))
        })
        .collect();
    assert_eq!(
        csp,
        [
            ("/*", "frame-ancestors 'self'"),
            ("/embed/*", "frame-ancestors *"),
            ("/:lang/embed/*", "frame-ancestors *"),
        ]
    );
}

struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn get(port: u16, path: &str) -> (String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: timeline.example.org\r\n\r\n").as_bytes())
        .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8_lossy(&raw[..split]).into_owned(),
        raw[split + 4..].to_vec(),
    )
}

#[test]
#[ignore = "needs nginx; .ci/run runs it (cargo test -- --include-ignored)"]
fn the_nginx_server_block_serves_the_site() {
    let nginx = which("nginx").expect("this test needs nginx (apt-get install nginx-light)");
    let site = TestSite::fixture("basic");
    site.built();
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let block = example("nginx.conf")
        .replace("listen 80;", &format!("listen 127.0.0.1:{port};"))
        .replace(
            "root /srv/timeline;",
            &format!("root {};", site.out().display()),
        );
    std::fs::write(dir.path().join("site.conf"), block).unwrap();
    let conf = format!(
        "worker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n include /etc/nginx/mime.types;\n access_log off;\n client_body_temp_path {d};\n proxy_temp_path {d};\n fastcgi_temp_path {d};\n uwsgi_temp_path {d};\n scgi_temp_path {d};\n include {d}/site.conf;\n}}\n",
        d = dir.path().display()
    );
    std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
    let conf_path = dir.path().join("nginx.conf");
    let test = Command::new(&nginx)
        .args(["-t", "-p"])
        .arg(dir.path())
        .arg("-c")
        .arg(&conf_path)
        .output()
        .unwrap();
    assert!(
        test.status.success(),
        "nginx -t: {}",
        String::from_utf8_lossy(&test.stderr)
    );
    let child = Command::new(&nginx)
        .arg("-p")
        .arg(dir.path())
        .arg("-c")
        .arg(&conf_path)
        // One process: killing it leaves no orphaned worker holding the test's output open.
        .args(["-g", "daemon off; master_process off;"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _guard = Nginx(child);
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let (head, body) = get(port, "/sessions/1/");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(String::from_utf8_lossy(&body).contains("1st session"));
    let csp = |head: &str| {
        (head.lines())
            .find_map(|l| l.strip_prefix("Content-Security-Policy: "))
            .map(str::to_owned)
    };
    assert_eq!(csp(&head).as_deref(), Some("frame-ancestors 'self'"));
    let (head, body) = get(port, "/embed/");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("embed.js"));
    assert_eq!(csp(&head).as_deref(), Some("frame-ancestors *"));
    let (head, body) = get(port, "/no/such/page/");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("Page not found"));
}

fn which(cmd: &str) -> Result<std::path::PathBuf, ()> {
    for dir in [
        "/usr/sbin",
        "/usr/bin",
        "/usr/local/sbin",
        "/usr/local/bin",
        "/sbin",
    ] {
        let p = Path::new(dir).join(cmd);
        if p.is_file() {
            return Ok(p);
        }
    }
    Err(())
}

#[test]
fn every_recipe_installs_pactline_as_the_readme_says() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let install = (readme.lines())
        .map(str::trim)
        .find(|l| l.starts_with("curl ") && l.ends_with("pactline-installer.sh | sh"))
        .expect("the README's install command");
    for name in ["github-pages.yml", "gitlab-ci.yml", "netlify.toml"] {
        assert!(
            example(name).contains(install),
            "{name} does not install with `{install}`"
        );
    }
    let toml: toml::Table = toml::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap(),
    )
    .unwrap();
    let repository = toml["package"]["repository"].as_str().unwrap();
    assert!(
        install.contains(&format!("{repository}/releases/latest/download/")),
        "the installer is not fetched from {repository}'s releases: {install}"
    );
}
