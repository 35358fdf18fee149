"""cleaner's package as it was at a git revision, native module built, for the harnesses that compare
two commits (bench/evaluate.py --against, bench/parity.py --against)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def package_at(rev: str, folder: Path) -> Path:
    """Extract the package (cleaner/, rules/ and the crate) at `rev` into `folder`/tree and build its
    native module there (cargo's cache is this checkout's target/against); the tree, to put first on
    sys.path. Raises RuntimeError with git's or cargo's message."""
    tree = folder / "tree"
    tree.mkdir()
    native = subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{rev}:Cargo.toml"],
                            capture_output=True).returncode == 0
    paths = ["cleaner", "rules", "fixtures"] + (["Cargo.toml", "Cargo.lock", "src"] if native else [])
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, *paths], capture_output=True)
    if archive.returncode:
        raise RuntimeError(archive.stderr.decode(errors="replace").strip() or "git archive failed")
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    if native:
        built = subprocess.run(["cargo", "build", "--release", "--features", "extension-module", "--manifest-path",
                                str(tree / "Cargo.toml"), "--target-dir", str(REPO / "target" / "against")],
                               capture_output=True, text=True)
        if built.returncode:
            raise RuntimeError(f"building its native module failed: {built.stderr.strip()[-500:]}")
        shutil.copy(REPO / "target" / "against" / "release" / "lib_engine.so", tree / "cleaner" / "_engine.abi3.so")
    return tree
