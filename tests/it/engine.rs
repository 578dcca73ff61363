//! The dev server's incremental rebuilds against a fresh build of the same tree: seeded
//! random edits of every kind applied to a running builder, and after each one the
//! served files must equal what `build` would publish, file for file; a tree that does
//! not build must fail to build in the server too. Also the ways the server once drifted
//! from `build`: a folder linked into content/, pending files while the site is broken, an
//! alias that clashes with a static file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pactline::diagnostics::Diagnostics;
use pactline::engine::{Changes, Engine};
use pactline::output::{MemorySink, RenderOptions};
use pactline::site::{LoadOptions, Site};

use crate::support::TestSite;

fn load() -> LoadOptions {
    LoadOptions {
        drafts: false,
        base_url: Some("http://127.0.0.1:1111/".into()),
    }
}

fn render() -> RenderOptions {
    RenderOptions {
        inject_script: Some(pactline::serve::reload::script()),
        ..RenderOptions::default()
    }
}

/// What `build` publishes for the tree at `root`, or `None` when it does not build.
fn fresh(root: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    built(root).ok().map(|(files, _)| files)
}

/// What `build` publishes for the tree at `root` with its warnings, or its errors.
fn built(root: &Path) -> Result<(BTreeMap<String, Vec<u8>>, Diagnostics), Diagnostics> {
    let site = Site::load(root, &load())?;
    let sink = MemorySink::default();
    site.render(&render(), &sink)?;
    Ok((sink.into_files(), site.warnings))
}

/// Everything the builder serves, pending files rendered.
fn served(builder: &mut Engine) -> BTreeMap<String, Vec<u8>> {
    builder.materialize_all().expect("pending files render");
    (builder.output().iter())
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect()
}

fn assert_same(step: &str, got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>) {
    let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(got), names(want), "{step}: different files");
    let differing: Vec<&String> = (got.iter())
        .filter(|(k, v)| want.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        differing.is_empty(),
        "{step}: {differing:?} differ from a fresh build"
    );
}

/// A small deterministic generator (64-bit LCG): the same seed gives the same edits.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// One random edit of the site at `root`; returns its name and what the watcher reports.
fn random_edit(rng: &mut Rng, root: &Path, n: usize) -> (String, Changes) {
    let notes = files(root, "content/sessions", ".md");
    let pick = |rng: &mut Rng, list: &[PathBuf]| list[rng.below(list.len())].clone();
    let content = |paths: Vec<PathBuf>| Changes {
        content: paths.into_iter().map(|p| root.join(p)).collect(),
        ..Changes::default()
    };
    let theme = || Changes {
        theme: true,
        ..Changes::default()
    };
    let text = |p: &Path| std::fs::read_to_string(root.join(p)).unwrap_or_default();
    // A note whose text contains one of `needles`.
    let having = |rng: &mut Rng, needles: &[&str]| {
        let with: Vec<PathBuf> = (notes.iter())
            .filter(|p| needles.iter().any(|n| text(p).contains(n)))
            .cloned()
            .collect();
        (!with.is_empty()).then(|| pick(rng, &with))
    };
    let write = |p: &Path, t: &str| {
        std::fs::create_dir_all(root.join(p).parent().unwrap()).unwrap();
        std::fs::write(root.join(p), t).unwrap()
    };
    match rng.below(14) {
        0 if !notes.is_empty() => {
            let p = pick(rng, &notes);
            write(&p, &format!("{}\nEdit {n}: a new paragraph.\n", text(&p)));
            (format!("body of {}", p.display()), content(vec![p]))
        }
        1 if !notes.is_empty() => {
            let p = pick(rng, &notes);
            let t = text(&p).replacen("\n---\n", &format!("\nsummary: Summary {n}\n---\n"), 1);
            let t = if t.matches("summary:").count() > 1 {
                text(&p).replacen("summary:", "summary: Again", 1)
            } else {
                t
            };
            write(&p, &t);
            (format!("front matter of {}", p.display()), content(vec![p]))
        }
        2 => {
            let ordinal = 20 + n;
            let p = PathBuf::from(format!("content/sessions/new-{n}.md"));
            write(
                &p,
                &format!("---\nsession: {ordinal}\nsectors: [steel]\n---\nSession {ordinal}.\n"),
            );
            (format!("new {}", p.display()), content(vec![p]))
        }
        3 if notes.len() > 2 => {
            let p = pick(rng, &notes);
            std::fs::remove_file(root.join(&p)).unwrap();
            (format!("delete {}", p.display()), content(vec![p]))
        }
        4 if !notes.is_empty() => {
            let p = pick(rng, &notes);
            let to = p.with_file_name(format!(
                "renamed-{n}-{}",
                p.file_name().unwrap().to_string_lossy()
            ));
            std::fs::rename(root.join(&p), root.join(&to)).unwrap();
            (format!("rename {}", p.display()), content(vec![p, to]))
        }
        5 if !notes.is_empty() => {
            // Break a note, then the next edits may repair it or not.
            let p = pick(rng, &notes);
            let t = text(&p).replacen("session:", "session: [", 1);
            write(&p, &t);
            (format!("break {}", p.display()), content(vec![p]))
        }
        6 => {
            let Some(p) = having(rng, &["session: ["]) else {
                return random_edit(rng, root, n);
            };
            write(&p, &text(&p).replacen("session: [", "session:", 1));
            (format!("repair {}", p.display()), content(vec![p]))
        }
        7 => {
            let p = Path::new("themes/default/templates/404.html");
            write(
                p,
                &format!(
                    "{{% extends \"base.html\" %}}{{% block content %}}Gone {n}.{{% endblock content %}}"
                ),
            );
            (format!("template {n}"), theme())
        }
        8 => {
            write(
                Path::new(&format!("static/extra-{}.css", n % 3)),
                &format!("a{{b:{n}}}"),
            );
            (format!("static file {n}"), theme())
        }
        9 => {
            // A commitment's status, which only the commitments and the pages listing
            // them show.
            let with: Vec<PathBuf> = (notes.iter())
                .filter(|p| {
                    text(p).contains("status: agreed") || text(p).contains("status: in-progress")
                })
                .cloned()
                .collect();
            if with.is_empty() {
                return random_edit(rng, root, n);
            }
            let p = pick(rng, &with);
            let t = text(&p);
            let t = if t.contains("status: agreed") {
                t.replacen("status: agreed", "status: in-progress", 1)
            } else {
                t.replacen("status: in-progress", "status: agreed", 1)
            };
            write(&p, &t);
            (format!("status in {}", p.display()), content(vec![p]))
        }
        10 => {
            let Some(p) = having(rng, &["\ndate: "]) else {
                return random_edit(rng, root, n);
            };
            let t = text(&p);
            let at = t.find("\ndate: ").unwrap() + "\ndate: ".len() + 8;
            let t = format!("{}{:02}{}", &t[..at], n % 27 + 1, &t[at + 2..]);
            write(&p, &t);
            (format!("date of {}", p.display()), content(vec![p]))
        }
        12 if !notes.is_empty() => {
            // A line at the top moves everything below it, diagnostics' positions too.
            let p = pick(rng, &notes);
            write(
                &p,
                &text(&p).replacen("---\n", &format!("---\n# Edit {n}\n"), 1),
            );
            (format!("a line atop {}", p.display()), content(vec![p]))
        }
        11 => {
            let with: Vec<PathBuf> = (notes.iter())
                .filter(|p| text(p).contains("sectors: ["))
                .cloned()
                .collect();
            if with.is_empty() {
                return random_edit(rng, root, n);
            }
            let p = pick(rng, &with);
            write(
                &p,
                &text(&p).replacen("sectors: [", &format!("sectors: [s{n}, "), 1),
            );
            (format!("sectors of {}", p.display()), content(vec![p]))
        }
        _ => {
            let translations = files(root, "content", ".ru.md");
            if translations.is_empty() {
                return random_edit(rng, root, n);
            }
            let p = pick(rng, &translations);
            write(&p, &format!("{}\nПравка {n}.\n", text(&p)));
            (format!("translation {}", p.display()), content(vec![p]))
        }
    }
}

/// Files below `root/dir` whose names end in `suffix`, relative to `root`.
fn files(root: &Path, dir: &str, suffix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name().to_string_lossy().ends_with(suffix))
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    out.sort();
    out
}

/// `steps` random edits of the fixture `name` from `seed`; after each, the builder agrees
/// with a fresh build. Half the time nobody asks for the pending files before the next
/// edit, as when no browser has the print page open.
fn oracle(name: &str, seed: u64, steps: usize) {
    let site = TestSite::fixture(name);
    let mut builder = Engine::new(&site.root, load(), render());
    builder.build().expect("the fixture builds");
    let mut rng = Rng(seed);
    let mut last_good = fresh(&site.root).expect("the fixture builds");
    for n in 0..steps {
        let (what, changes) = random_edit(&mut rng, &site.root, n);
        let step = format!("{name} step {n}: {what}");
        builder.apply(&changes);
        let result = builder.build();
        let look = rng.below(2) == 0;
        match built(&site.root) {
            Ok((want, warnings)) => {
                assert!(
                    result.is_ok(),
                    "{step}: the server fails where build does not: {result:?}"
                );
                // Reused results carry their diagnostics, which must point where a fresh
                // build's do.
                assert_eq!(builder.warnings(), &warnings, "{step}: other warnings");
                if look {
                    assert_same(&step, &served(&mut builder), &want);
                }
                last_good = want;
            }
            Err(errors) => {
                assert_eq!(
                    result.as_ref().err(),
                    Some(&errors),
                    "{step}: the server fails otherwise than build"
                );
                // Every file of the last good build is still served, pending ones too.
                if look {
                    assert_same(&step, &served(&mut builder), &last_good);
                }
            }
        }
    }
}

#[test]
fn random_edits_of_the_basic_site_equal_fresh_builds() {
    oracle("basic", 1, 90);
}

#[test]
fn random_edits_of_the_commitments_site_equal_fresh_builds() {
    oracle("commitments", 2, 90);
}

#[test]
fn random_edits_of_the_translated_site_equal_fresh_builds() {
    oracle("i18n", 3, 90);
}

#[test]
fn a_folder_linked_into_content_is_never_served() {
    let site = TestSite::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "private").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("content/linked")).unwrap();
    let mut builder = Engine::new(&site.root, load(), render());
    builder.build().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "private, changed").unwrap();
    let changed = site.path("content/linked/secret.txt");
    builder.apply(&Changes {
        content: [changed].into_iter().collect(),
        ..Changes::default()
    });
    builder.build().unwrap();
    let got = served(&mut builder);
    assert!(
        !got.keys().any(|k| k.contains("secret")),
        "{:?}",
        got.keys()
    );
    let sums = String::from_utf8_lossy(&got["SHA256SUMS"]).into_owned();
    assert!(!sums.contains("secret"), "{sums}");
    assert_same("linked folder", &got, &fresh(&site.root).unwrap());
}

#[test]
fn pending_files_come_from_the_last_good_build_while_the_site_is_broken() {
    let site = TestSite::fixture("basic");
    let mut builder = Engine::new(&site.root, load(), render());
    builder.build().unwrap();
    let note = site.path("content/sessions/02.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, format!("{text}\nA closing line.\n")).unwrap();
    builder.apply(&Changes {
        content: [note.clone()].into_iter().collect(),
        ..Changes::default()
    });
    builder.build().unwrap();
    assert!(builder.pending().contains("print/index.html"));
    let want = fresh(&site.root).unwrap();
    std::fs::write(&note, "---\nsession: [\n---\n").unwrap();
    builder.apply(&Changes {
        content: [note].into_iter().collect(),
        ..Changes::default()
    });
    assert!(builder.build().is_err());
    for path in [
        "print/index.html",
        "feed.xml",
        "timeline.json",
        "SHA256SUMS",
    ] {
        let bytes = builder
            .materialize(path)
            .unwrap_or_else(|e| panic!("{path}: {e:?}"));
        assert!(*bytes == *want[path], "{path} is the last good build's");
    }
}

#[test]
fn an_alias_that_clashes_with_a_static_file_fails_as_in_build() {
    let site = TestSite::fixture("basic");
    let mut builder = Engine::new(&site.root, load(), render());
    builder.build().unwrap();
    site.write("static/old/first/index.html", "<p>mine</p>");
    assert!(fresh(&site.root).is_none(), "build refuses the clash");
    builder.apply(&Changes {
        theme: true,
        ..Changes::default()
    });
    let err = builder.build().expect_err("the server refuses it too");
    assert!(err.0.iter().any(|d| d.code.id == "PL0011"), "{err:?}");
}

#[test]
fn a_file_name_that_cannot_be_published_fails_as_in_build() {
    let site = TestSite::fixture("basic");
    let mut builder = Engine::new(&site.root, load(), render());
    builder.build().unwrap();
    let bad = site.path("content/sessions/bad\\name.png");
    std::fs::write(&bad, "png").unwrap();
    assert!(fresh(&site.root).is_none(), "build refuses the name");
    builder.apply(&Changes {
        content: [bad].into_iter().collect(),
        ..Changes::default()
    });
    let err = builder.build().expect_err("the server refuses it too");
    assert!(err.0.iter().any(|d| d.code.id == "PL0012"), "{err:?}");
}

#[test]
fn the_editors_checks_keep_nothing_from_one_text_to_the_next() {
    let site = TestSite::fixture("commitments");
    let rel = Path::new("content/sessions/3.md");
    let original = std::fs::read_to_string(site.path("content/sessions/3.md")).unwrap();
    let texts = [
        original.replace("Notes of session 3.", "Notes of session 3, longer."),
        original.replace("status: proposed", "status: nonsense"),
        original.replace("superseded_by: new-plan", "superseded_by: no-such-plan"),
        original.replace("id: new-plan, title: New port plan", "id: new-plan"),
        original.clone(),
        "---\nsession: [\n---\n".to_string(),
        original.replace("Notes of session 3.", "Notes of session 3, longer."),
        original.replace(
            "session: 3\n",
            "session: 3\ntitle: A third session renamed\n",
        ),
    ];
    let mut editor = Engine::new(&site.root, load(), render());
    editor.build().unwrap();
    for (step, text) in texts.iter().enumerate() {
        if step == 4 {
            // Its neighbour is retitled on disk meanwhile, as the watcher reports it.
            let other = site.path("content/sessions/4.md");
            let note = std::fs::read_to_string(&other).unwrap();
            let retitled =
                note.replacen("session: 4\n", "session: 4\ntitle: Fourth, retitled\n", 1);
            std::fs::write(&other, retitled).unwrap();
            editor.apply(&Changes {
                content: [other].into_iter().collect(),
                ..Changes::default()
            });
            editor.build().unwrap();
        }
        let got = editor.preview(rel, text);
        let want = Engine::new(&site.root, load(), render()).preview(rel, text);
        assert_eq!(got.diagnostics, want.diagnostics, "step {step}");
        assert_eq!(got.errors_elsewhere, want.errors_elsewhere, "step {step}");
        assert!(got.page == want.page, "step {step}: the page differs");
    }
    // Its neighbour next, which names it: the unsaved text checked last is not part of the
    // neighbour's model.
    let other = Path::new("content/sessions/4.md");
    let text = std::fs::read_to_string(site.path("content/sessions/4.md")).unwrap() + "\nMore.\n";
    let got = editor.preview(other, &text);
    let want = Engine::new(&site.root, load(), render()).preview(other, &text);
    assert_eq!(got.diagnostics, want.diagnostics);
    assert!(got.page == want.page, "the other note's page differs");
    let overview = |e: &mut Engine| serde_json::to_string(&e.notes_overview()).unwrap();
    let fresh_engine = &mut Engine::new(&site.root, load(), render());
    assert_eq!(
        overview(&mut editor),
        overview(fresh_engine),
        "the list of notes"
    );
}
