"""The management-command side of every importer: progress bar, report, ``--json``."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from .base import ImportRejected, ImportSummary, Progress


class TerminalProgress:
    """A tqdm bar on stderr per stage; silent when stderr is not a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar: tqdm | None = None
        self.stage = ""

    def __call__(self, done: int, total: int | None, stage: str) -> None:
        if not self.enabled:
            return
        if stage != self.stage or self.bar is None:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage[:30], unit="row", file=sys.stderr, leave=False)
        self.bar.n = done
        if done == total or done % 250 == 0:
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class ImportCommand(BaseCommand):
    """Subclasses implement ``run(progress=..., **options) -> ImportSummary``."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--json",
            action="store_true",
            help="print a one-line JSON summary: imported, updated, unchanged, rejected",
        )
        return parser

    def run(self, *, progress: Progress, **options: Any) -> ImportSummary:
        raise NotImplementedError

    def handle(self, *args: Any, **options: Any) -> None:
        as_json = options["json"]
        progress = TerminalProgress(enabled=not as_json and sys.stderr.isatty())
        try:
            summary = self.run(progress=progress, **options)
        except ImportRejected as rejected:
            progress.close()
            if as_json:
                self.stdout.write(
                    json.dumps(
                        {
                            "imported": 0,
                            "updated": 0,
                            "unchanged": 0,
                            "rejected": rejected.rejected_rows,
                            "errors": [e.as_dict() for e in rejected.errors],
                        }
                    )
                )
            else:
                for error in rejected.errors:
                    self.stderr.write(str(error))
            raise CommandError(
                f"Nothing was imported: {len(rejected.errors)} problem(s) "
                f"in {rejected.rejected_rows} row(s)."
            ) from None
        progress.close()
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict() | {"warnings": len(summary.warnings)}))
            return
        for warning in summary.warnings[:50]:
            self.stderr.write(f"warning: {warning}")
        if len(summary.warnings) > 50:
            self.stderr.write(f"... and {len(summary.warnings) - 50} more warnings")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {summary.imported}, updated {summary.updated}, "
                f"unchanged {summary.unchanged}, rejected {summary.rejected}."
            )
        )
