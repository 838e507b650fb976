"""The four example reports (and the progress report, with its charts) as a reader sees them: written by `cz report`,
converted to PDF by LibreOffice (headless) and to PNG pages by pdftoppm,
the pages kept in docs/report/ to look at (docs/report.md).

    apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk   # ~200 MB
    .venv/bin/python bench/report_pages.py            # writes docs/report/*.png
    .venv/bin/python bench/report_pages.py --keep DIR  # also keeps the .docx and .pdf files in DIR

Not part of CI (.ci/run): LibreOffice is ~200 MB installed, too heavy for
every run; the reports' content is checked cell by cell by
tests/test_report.py, this is for the eye.  It also checks that the PDF
holds every reference of the .docx (pdftotext), so a page that lost text
shows here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = REPO / "docs" / "report"
CZ = [sys.executable, "-m", "chengzhen"]
EXAMPLES = {
    "compare-4.1": ["report", "compare", "--task", "4.1", "guizhou", "qinghai", "hunan", "hebei"],
    "targets-城镇化率": ["report", "targets", "--indicator", "城镇化率"],
    "plan-hunan": ["report", "plan", "hunan"],
    "targets-2028": ["report", "targets", "--year", "2028"],
    "progress-城镇化率": ["report", "progress", "--indicator", "城镇化率"],  # its charts as pictures
}
RESOLUTION = 60  # dots per inch: a page of A4 is ~500 px wide, small enough to keep, large enough to read
MAX_PAGES = 2  # the pages kept of each report
PAGES = {"progress-城镇化率": 4}  # … but the progress report's charts, after its table


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        sys.exit(f"{tool} not found: apt-get install -y libreoffice-writer-nogui poppler-utils fonts-noto-cjk")
    return path


def main(argv: list[str]) -> int:
    soffice, pdftoppm, pdftotext = need("soffice"), need("pdftoppm"), need("pdftotext")
    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    work = Path(tempfile.mkdtemp(prefix="cz-report-pages-"))
    env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "1796601600"),  # 2026-12-07
               HOME=str(work))  # LibreOffice's profile goes here, not into the user's
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    import docx

    for name, args in EXAMPLES.items():
        target = work / f"{name}.docx"
        res = subprocess.run([*CZ, *args, "-o", target.name], env=env, capture_output=True, text=True, cwd=work)
        if res.returncode not in (0, 1):
            sys.exit(f"cz {' '.join(args)}: {res.stderr}")
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(target)],
                       env=env, check=True, capture_output=True, timeout=300)
        pdf = target.with_suffix(".pdf")
        text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        squeezed = "".join(text.split())
        refs = [p.text for p in docx.Document(str(target)).paragraphs if p.text.startswith("[")]
        lost = [r for r in refs if "".join(r.split()) not in squeezed]
        pages = text.count("\f") or 1
        subprocess.run([pdftoppm, "-r", str(RESOLUTION), "-l", str(PAGES.get(name, MAX_PAGES)), "-png", str(pdf),
                        str(OUT / name)], check=True)
        print(f"{name}: {pages} pages, {len(refs)} references" + (f", LOST IN THE PDF: {lost}" if lost else ""))
        if keep:
            keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(target, keep)
            shutil.copy(pdf, keep)
    shutil.rmtree(work, ignore_errors=True)
    for png in sorted(OUT.glob("*.png")):
        print(f"  {png.relative_to(REPO)} ({png.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
