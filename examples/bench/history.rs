//! A git history for the benchmark corpus (`--git COMMITS`), to measure
//! `dates: git`: the articles under `content/` are committed over COMMITS
//! commits, one hour apart, fed to `git fast-import` (so the repository is
//! packed, as a real clone is). The generator spawns git; kbgen never does.
//!
//! The first half of the commits add the articles, a few per commit, each
//! as a draft (its final text and a draft marker line). The second half
//! each edit two articles picked by a fixed random sequence, and every
//! 40th article is added under an older name and renamed (with an edit) in
//! the second half, so renames are followed too. An article's last commit
//! writes the text the corpus has on disk, so the work tree is clean. The
//! same corpus and COMMITS give the same history on every machine.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// What one commit does to one article.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Touch {
    Add,
    Edit,
    Rename,
}

/// Commits the Markdown files under `root/content` in `commits` commits
/// (see the module docs); returns how many articles were committed.
pub fn commit_corpus(root: &Path, commits: usize) -> std::io::Result<usize> {
    let content = root.join("content");
    let mut files: Vec<String> = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(root).unwrap_or(e.path());
            relative.to_string_lossy().replace('\\', "/")
        })
        .collect();
    files.push("kbgen.yaml".to_string());
    let n = files.len();
    let commits = commits.max(2);
    let half = commits / 2;
    // touches[c] = (file, what) for commit c.
    let mut touches: Vec<Vec<(usize, Touch)>> = vec![Vec::new(); commits];
    for (i, _) in files.iter().enumerate() {
        touches[i * half / n].push((i, Touch::Add));
    }
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    for commit in touches.iter_mut().skip(half) {
        let (a, b) = (next(n), next(n));
        commit.push((a, Touch::Edit));
        if b != a {
            commit.push((b, Touch::Edit));
        }
    }
    let renamed = |i: usize| i.is_multiple_of(40) && files[i].ends_with(".md");
    for i in (0..n).filter(|&i| renamed(i)) {
        let c = half + (i / 40 * 7919) % (commits - half);
        touches[c].retain(|(f, _)| *f != i);
        touches[c].push((i, Touch::Rename));
    }
    let last_touch: Vec<usize> = {
        let mut last = vec![0; n];
        for (c, commit) in touches.iter().enumerate() {
            for (f, _) in commit {
                last[*f] = last[*f].max(c);
            }
        }
        last
    };

    run_git(root, &["init", "-q", "-b", "main"])?;
    let mut git = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .spawn()?;
    let mut stream = std::io::BufWriter::new(git.stdin.take().expect("piped stdin"));
    let old_name = |path: &str| match path.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/old-{name}"),
        None => format!("old-{path}"),
    };
    let authors = [
        "Ann Archer",
        "Bob Baker",
        "Cy Cole",
        "Dee Dunn",
        "Eve Ekberg",
    ];
    for (c, commit) in touches.iter().enumerate() {
        let time = 1_600_000_000 + c as i64 * 3600;
        let author = authors[c % authors.len()];
        let email = format!("{}@example.com", author.to_lowercase().replace(' ', "."));
        let message = format!("commit {c}\n");
        write!(
            stream,
            "commit refs/heads/main\nmark :{}\nauthor {author} <{email}> {time} +0000\ncommitter {author} <{email}> {time} +0000\ndata {}\n{message}",
            c + 1,
            message.len()
        )?;
        if c > 0 {
            writeln!(stream, "from :{c}")?;
        }
        for &(f, touch) in commit {
            let path = &files[f];
            let mut text = std::fs::read(root.join(path))?;
            if last_touch[f] != c {
                text.extend_from_slice(format!("\n<!-- draft of commit {c} -->\n").as_bytes());
            }
            let written = match touch {
                Touch::Add if renamed(f) => old_name(path),
                Touch::Rename => {
                    writeln!(stream, "R \"{}\" \"{path}\"", old_name(path))?;
                    path.clone()
                }
                Touch::Add | Touch::Edit => path.clone(),
            };
            write!(
                stream,
                "M 100644 inline \"{written}\"\ndata {}\n",
                text.len()
            )?;
            stream.write_all(&text)?;
            stream.write_all(b"\n")?;
        }
        stream.write_all(b"\n")?;
    }
    stream.write_all(b"done\n")?;
    drop(stream);
    let status = git.wait()?;
    if !status.success() {
        return Err(std::io::Error::other("git fast-import failed"));
    }
    Ok(n)
}

fn run_git(root: &Path, args: &[&str]) -> std::io::Result<()> {
    let status = Command::new("git").args(args).current_dir(root).status()?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "git {} failed",
            args.join(" ")
        )))
    }
}
