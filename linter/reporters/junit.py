"""JUnit XML for GitLab's test report and Jenkins' junit step.

One test case per file and rule that found something (classname: the
file, name: the rule), failed when a finding is at or above the run's
fail level; a file without findings is one passing test case, so a clean
run still shows what was checked. Text from the input is XML-escaped by
ElementTree, and characters XML 1.0 cannot hold (ANSI escapes and other
controls) are shown as ``\\xNN``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from linter.reporters._common import TOOL_NAME, file_paths
from linter.reporters.text import clean, escape_char

# Characters XML 1.0 cannot hold, carriage returns, C1 controls and bidirectional controls.
_NOT_XML = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def xml_text(text: str) -> str:
    return _NOT_XML.sub(escape_char, text)


def xml_attr(text: str) -> str:
    """An attribute value: no line breaks either (consumers show them)."""
    return xml_text(clean(text))


def _line(d) -> str:
    # Input-derived parts lose their line breaks too, so they cannot forge a line of the report.
    return f"{clean(d.path)}:{d.line}:{d.column}: {d.severity}: {clean(d.message)} [{d.rule_id}]"


def render(result, options) -> str:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for d in result.diagnostics:
        groups[(d.path, d.rule_id)].append(d)
    cases: list[ET.Element] = []
    failures = 0
    for path in file_paths(result):
        rules = sorted(rule_id for (p, rule_id) in groups if p == path)
        if not rules:
            case = ET.Element("testcase", classname=xml_attr(path), name="headlamp-lint", file=xml_attr(path))
            cases.append(case)
            continue
        for rule_id in rules:
            found = groups[(path, rule_id)]
            first = found[0]
            case = ET.Element(
                "testcase",
                classname=xml_attr(path),
                name=f"{rule_id} {first.rule_name}",
                file=xml_attr(path),
                line=str(first.line),
            )
            body = xml_text("".join(_line(d) + "\n" for d in found))
            failing = [d for d in found if d.severity >= options.fail_level]
            if failing:
                failures += 1
                count = len(found)
                element = ET.SubElement(
                    case,
                    "failure",
                    message=xml_attr(f"{count} finding{'s' if count != 1 else ''}: {first.message}"),
                    type=rule_id,
                )
                element.text = body
            else:
                ET.SubElement(case, "system-out").text = body
            cases.append(case)
    errors = len(result.errors)
    suite = ET.Element(
        "testsuite",
        name=TOOL_NAME,
        tests=str(len(cases) + errors),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
    )
    suite.extend(cases)
    for error in result.errors:
        case = ET.SubElement(suite, "testcase", classname=TOOL_NAME, name="input")
        ET.SubElement(case, "error", message=xml_attr(error), type="input-error")
    root = ET.Element(
        "testsuites", name=TOOL_NAME, tests=suite.get("tests", "0"), failures=str(failures), errors=str(errors)
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
