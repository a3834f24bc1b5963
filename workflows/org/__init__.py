"""The organisation as settings and data (docs/organisation.md)."""

from .model import DEFAULT_ORG, Org, OrgError, load_org, org_path, parse_org, read_org

__all__ = ["DEFAULT_ORG", "Org", "OrgError", "load_org", "org_path", "parse_org", "read_org"]
