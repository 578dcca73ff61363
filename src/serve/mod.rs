//! `pactline serve`: builds the site in memory, serves it, watches the sources and rebuilds
//! what a save touches, telling open pages to reload. Content errors never stop the
//! server: the last good build stays up and the pages show the diagnostics in an overlay.
//! The parts: the engine (`crate::engine`, build state), [`http`] (answers), [`watch`] (file events),
//! [`reload`] (the injected script and its events).

pub mod edit;
pub mod http;
pub mod reload;
pub mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch as signal};

use crate::diagnostics::{self, Diagnostics};
use crate::engine::{self, Changes, Engine};
use crate::output::RenderOptions;
use crate::site::LoadOptions;
use http::Shared;
use reload::Event;

/// How many ports after the asked one are tried when it is taken.
const PORT_TRIES: u16 = 10;

/// How long a client may take to send a request's headers before its connection is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// Writes a line to the terminal. A closed stderr (`pactline serve 2>&1 | head`) must not
/// stop the server, so a failed write is let go.
macro_rules! log {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Options of `pactline serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 lets the system pick a free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    pub drafts: bool,
    /// Serve the editor under `/_edit/` (see [`edit`]).
    pub edit: bool,
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{path}: {source}")]
    Root {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("no free port in {first}..={last} on {bind}")]
    NoFreePort { bind: IpAddr, first: u16, last: u16 },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch the site's files: {0}")]
    Watch(#[from] notify::Error),
    #[error("the server failed: {0}")]
    Serve(std::io::Error),
    #[error(transparent)]
    Editor(#[from] edit::EditorError),
}

/// Serves the site until Ctrl-C.
pub fn run(opts: &ServeOptions) -> Result<(), ServeError> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|source| ServeError::Root {
            path: opts.root.clone(),
            source,
        })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(serve(opts, &root))
}

async fn serve(opts: &ServeOptions, root: &Path) -> Result<(), ServeError> {
    let listener = bind(opts.bind, opts.port).await?;
    let addr = listener.local_addr().map_err(ServeError::Serve)?;
    let url = format!("http://{addr}/");
    if !opts.bind.is_loopback() {
        log!(
            "warning: listening on {}: the preview is visible to other machines on the network",
            opts.bind
        );
    }
    let load = LoadOptions {
        drafts: opts.drafts,
        base_url: Some(url.clone()),
    };
    let render = RenderOptions {
        inject_script: Some(reload::script()),
        ..RenderOptions::default()
    };
    let state = Shared::new(http::allowed_hosts(opts.bind));
    let (tx, rx) = mpsc::unbounded_channel();
    let watcher = Arc::new(Mutex::new(watch::start(root, tx)?));
    let started = Instant::now();
    let mut builder = Engine::new(root, load, render);
    let first = builder.build();
    if first.is_ok() {
        print_diagnostics(builder.warnings(), root);
    }
    report(root, &state, &builder, first, started);
    let builder = Arc::new(Mutex::new(builder));
    let _ = state
        .render
        .set(renderer(root.to_path_buf(), builder.clone()));
    let rebuilds = tokio::spawn(rebuild_loop(
        root.to_path_buf(),
        (builder.clone(), watcher),
        rx,
        state.clone(),
    ));
    let editor = match opts.edit {
        true => Some(editor(root, addr, builder.clone())?),
        false => None,
    };
    let _ = writeln!(std::io::stdout(), "serving {} at {url}", root.display());
    if let Some((_, address)) = &editor {
        let _ = writeln!(std::io::stdout(), "editor at {address}");
        if !opts.bind.is_loopback() {
            log!(
                "warning: the editor writes the notes and is reachable from other machines on the network; anyone with its address (token included) can change them"
            );
        }
    }
    let _ = std::io::stdout().flush();
    if opts.open {
        open_browser(&url);
    }
    let app = http::router(state.clone(), editor.map(|(routes, _)| routes));
    let stopping = state.shutdown.subscribe();
    tokio::spawn(shutdown_signal(state));
    accept(listener, app, stopping).await;
    rebuilds.abort();
    log!("stopped");
    Ok(())
}

/// The editor's routes and its address with the token, to print.
fn editor(
    root: &Path,
    addr: SocketAddr,
    engine: Arc<Mutex<Engine>>,
) -> Result<(axum::Router, String), ServeError> {
    let guard = edit::Guard::new(addr).map_err(edit::EditorError::from)?;
    let address = format!("http://{addr}/_edit/?token={}", guard.token());
    let editor = edit::Editor::new(root.to_path_buf(), engine)?;
    Ok((edit::router(Arc::new(editor), Arc::new(guard)), address))
}

/// Answers connections until shutdown. Each connection is HTTP/1.1 through hyper with a
/// header-read timeout, so that clients that never finish their headers cannot hold
/// connections open.
async fn accept(listener: TcpListener, app: axum::Router, mut stopping: signal::Receiver<bool>) {
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, say: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = stopping.wait_for(|stop| *stop) => return,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            // A client that leaves or times out ends its own connection only.
            let _ = connection.await;
        });
    }
}

/// Binds `port`, or the next ones if it is taken; port 0 asks the system for any.
async fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, ServeError> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    for p in port..=last {
        let addr = SocketAddr::new(ip, p);
        match TcpListener::bind(addr).await {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                if p < last {
                    log!("port {p} is taken, trying {}", p + 1);
                } else {
                    log!("port {p} is taken");
                }
            }
            Err(source) => return Err(ServeError::Bind { addr, source }),
        }
    }
    Err(ServeError::NoFreePort {
        bind: ip,
        first: port,
        last,
    })
}

/// Applies each batch of changes and publishes the result.
async fn rebuild_loop(
    root: PathBuf,
    (builder, watcher): (Arc<Mutex<Engine>>, Arc<Mutex<watch::Watched>>),
    mut rx: mpsc::UnboundedReceiver<Changes>,
    state: Arc<Shared>,
) {
    while let Some(mut changes) = rx.recv().await {
        while let Ok(more) = rx.try_recv() {
            changes.merge(more);
        }
        if changes.theme || changes.content.iter().any(|p| p.parent() == Some(&root)) {
            // The watcher holds no state a panic could leave half-changed.
            (watcher.lock().unwrap_or_else(|e| e.into_inner())).watch_new_folders(&root);
        }
        let started = Instant::now();
        let (root, builder, state) = (root.clone(), builder.clone(), state.clone());
        let joined = tokio::task::spawn_blocking(move || {
            let mut builder = lock(&builder);
            builder.apply(&changes);
            let result = builder.build();
            report(&root, &state, &builder, result, started);
        })
        .await;
        if joined.is_err() {
            log!("error: a rebuild failed unexpectedly; the next change rebuilds from scratch");
        }
    }
}

/// The builder, ready for use. A rebuild that panicked may have left it half-updated:
/// then it starts over, reading the whole site again, rather than serve from that state.
pub fn lock(builder: &Mutex<Engine>) -> MutexGuard<'_, Engine> {
    match builder.lock() {
        Ok(guard) => guard,
        Err(poisoned) => {
            let mut guard = poisoned.into_inner();
            guard.reset();
            builder.clear_poison();
            guard
        }
    }
}

/// Renders the pending files of the current build on request.
fn renderer(root: PathBuf, builder: Arc<Mutex<Engine>>) -> http::Render {
    Box::new(move |path| {
        let mut builder = lock(&builder);
        match builder.materialize(path) {
            Ok(bytes) => http::Rendered::File(bytes),
            Err(engine::Unavailable::Failed(diags)) => {
                print_diagnostics(&diags, &root);
                http::Rendered::Unavailable
            }
            Err(engine::Unavailable::Missing) => http::Rendered::Missing,
        }
    })
}

/// Publishes a build's outcome to the pages and the terminal.
fn report(
    root: &Path,
    state: &Shared,
    builder: &Engine,
    result: Result<engine::Delta, Diagnostics>,
    started: Instant,
) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let had_error = state.error.read().map(|e| e.is_some()).unwrap_or(true);
    match result {
        Ok(delta) => {
            let snapshot = Arc::new(http::Snapshot {
                files: builder.output().clone(),
                addresses: builder.addresses(),
            });
            *state.build.write().unwrap_or_else(|e| e.into_inner()) = Some(snapshot);
            *state.error.write().unwrap_or_else(|e| e.into_inner()) = None;
            log!("rebuilt in {ms:.1} ms: {}", summary(&delta));
            let event = if delta.css_only() {
                Event::Css
            } else if !delta.is_empty() {
                Event::Reload
            } else if had_error {
                Event::Ok
            } else {
                return;
            };
            let _ = state.events.send(event);
        }
        Err(diags) => {
            print_diagnostics(&diags, root);
            log!(
                "build failed in {ms:.1} ms: {} error(s); still serving the last good build",
                diags.errors().count()
            );
            let event = Event::error(&diags);
            *state.error.write().unwrap_or_else(|e| e.into_inner()) = Some(event.clone());
            let _ = state.events.send(event);
        }
    }
}

fn print_diagnostics(diags: &Diagnostics, root: &Path) {
    diagnostics::print_to_stderr(diags, root);
}

async fn shutdown_signal(state: Arc<Shared>) {
    // If the handler cannot be installed the server runs until killed, as any server would.
    let _ = tokio::signal::ctrl_c().await;
    log!("shutting down");
    // Open pages keep their event streams; end them so that shutdown does not wait forever.
    let _ = state.shutdown.send(true);
}

/// Opens `url` in the desktop's browser, if there is one.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(url).spawn() {
        log!("warning: cannot open a browser ({program}): {e}");
    }
}

/// What a rebuild did, in the units it counts: pages rendered (a search index is one page
/// of many files), and files of the output changed or removed.
fn summary(delta: &engine::Delta) -> String {
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    format!(
        "{} of {} pages rendered; {} {} changed, {} removed",
        delta.rendered,
        delta.total,
        delta.changed.len(),
        files(delta.changed.len()),
        delta.removed.len()
    )
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_rebuild_counts_pages_rendered_and_files_changed_apart() {
        let delta = engine::Delta {
            changed: (0..58).map(|i| format!("search/{i}.json")).collect(),
            rendered: 19,
            total: 57,
            ..engine::Delta::default()
        };
        assert_eq!(
            summary(&delta),
            "19 of 57 pages rendered; 58 files changed, 0 removed"
        );
    }
    use super::*;

    #[test]
    fn a_builder_left_by_a_panic_starts_over() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut builder = Engine::new(&root, LoadOptions::default(), RenderOptions::default());
        builder.build().expect("the fixture builds");
        let builder = Arc::new(Mutex::new(builder));
        let held = builder.clone();
        let panicked = std::thread::spawn(move || {
            let _guard = held.lock();
            panic!("a rebuild fails half-way");
        })
        .join();
        assert!(panicked.is_err() && builder.is_poisoned());
        let mut guard = lock(&builder);
        assert!(
            guard.output().is_empty(),
            "nothing of the half-updated state is kept"
        );
        assert!(guard.build().is_ok(), "and it builds from scratch");
        drop(guard);
        assert!(!builder.is_poisoned());
    }
}
