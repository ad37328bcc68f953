"""The date stamped into every output — the same for every build of the same inputs, so
the bytes are reproducible."""
from __future__ import annotations

import datetime
import os


def build_date(toolkit) -> datetime.datetime:
    """SOURCE_DATE_EPOCH if set, else the deliverable's submission date (content/deliverable.yaml)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.combine(toolkit.deliverable.submission_date, datetime.time(), datetime.timezone.utc)
