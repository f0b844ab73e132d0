"""Oracles for the config-file corpus: the AWS CLI's own ConfigFileWriter (awscli v1, same writer as v2)
and botocore's config loader. Reads a JSON list of cases on stdin, prints a JSON list of results.

Each case: {"file": "config"|"credentials", "before": str, "ours": str, "section": str, "values": {...}},
optionally "parse_before"/"parse_ours": the texts to give botocore instead (e.g. without a BOM).
Each result: {"oracle": str|None, "oracle_error": str|None, "before": parsed|None, "ours": parsed|None,
"ours_error": str|None}. A parsed config is botocore.configloader.load_config's profiles, sso_sessions and
services; a parsed credentials file is raw_config_parse's dict. Files are read and written as bytes
(newline='') so CRLF and BOMs reach the parsers exactly as they are on disk.
"""
import json
import os
import sys
import tempfile

import botocore.configloader as configloader
from awscli.customizations.configure.writer import ConfigFileWriter


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def parse(path, kind):
    if kind == "credentials":
        return configloader.raw_config_parse(path)
    loaded = configloader.load_config(path)
    return {k: loaded.get(k, {}) for k in ("profiles", "sso_sessions", "services")}


def try_parse(path, kind):
    try:
        return parse(path, kind), None
    except Exception as e:  # botocore.exceptions.ConfigParseError and friends
        return None, f"{type(e).__name__}: {e}"


def main():
    cases = json.load(sys.stdin)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, case in enumerate(cases):
            kind = case["file"]
            before_path = os.path.join(tmp, f"{i}-before")
            write(before_path, case.get("parse_before", case["before"]))
            before, before_error = try_parse(before_path, kind)

            ours_path = os.path.join(tmp, f"{i}-ours")
            write(ours_path, case.get("parse_ours", case["ours"]))
            ours, ours_error = try_parse(ours_path, kind)

            oracle_path = os.path.join(tmp, f"{i}-oracle")
            write(oracle_path, case["before"])
            oracle, oracle_error = None, None
            try:
                values = dict(case["values"])
                values["__section__"] = case["section"]
                ConfigFileWriter().update_config(values, oracle_path)
                with open(oracle_path, encoding="utf-8", newline="") as f:
                    oracle = f.read()
            except Exception as e:
                oracle_error = f"{type(e).__name__}: {e}"
            results.append({
                "oracle": oracle, "oracle_error": oracle_error,
                "before": before, "before_error": before_error,
                "ours": ours, "ours_error": ours_error,
            })
    json.dump(results, sys.stdout)


main()
