"""The README's reference tables, kept to the header: the status codes table is generated between
its markers, and the client options table must list exactly the header's HFI_OPT_ keys."""
import re

BEGIN, END = "<!-- abigen:status-codes -->", "<!-- /abigen:status-codes -->"
STATUS = re.compile(r"^HFI_(OK|E_[A-Z_]+|NO_EVENT|PENDING)$")
OPTION_ROW = re.compile(r"^\| `(HFI_OPT_[A-Z0-9_]+)` \|", re.M)


def one_line(text):
    return " ".join(text.split()).replace("|", "\\|").replace("#HFI_", "HFI_")


def status_table(header):
    rows = ["| code | value | meaning |", "|---|---:|---|"]
    codes = [c for c in header.constants if c.kind == "enum" and STATUS.match(c.name)]
    for c in sorted(codes, key=lambda c: (c.value < 0, -c.value if c.value < 0 else c.value)):
        rows.append(f"| `{c.name}` | {c.value} | {one_line(c.doc.summary)} |")
    return "\n".join(rows)


def refresh(header, text):
    """Returns (the README with its generated table current, [problems])."""
    problems = []
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        problems.append(f"README.md: the markers {BEGIN} ... {END} of the status codes table are missing")
    else:
        text = text[:start + len(BEGIN)] + "\n" + status_table(header) + "\n" + text[end:]
    documented = set(OPTION_ROW.findall(text))
    defined = {c.name for c in header.constants if c.kind == "enum" and c.name.startswith("HFI_OPT_")}
    for name in sorted(defined - documented):
        problems.append(f"README.md: the client options table has no row for {name}")
    for name in sorted(documented - defined):
        problems.append(f"README.md: the client options table has a row for {name}, which hfi.h does not define")
    return text, problems
