"""Touring: the packages that venues pull (and, as the touring issue goes on, the tour itself)."""

from touring.models.packages import PackageVersion, package_storage

__all__ = ["PackageVersion", "package_storage"]
