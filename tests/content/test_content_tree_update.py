"""``carebase serve`` keeps the content tree between changes (loader.update_tree): after files
are added and removed it is the tree a new scan gives, or it says a new scan is needed."""

from __future__ import annotations

from carebase.content.loader import content_tree, update_tree
from carebase.content.model import Catalogue


def _tree_fields(tree):
    return tree.files, tree.dirs, tree.sizes, tree.refused, tree.generated


def _root(tmp_path):
    for rel in ("billing/refunds.md", "billing/invoices.md", "account/password.md", "faq/billing.yml"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text(f"# {rel}\n")
    return tmp_path


def test_a_rename_and_a_delete_give_the_tree_of_a_new_scan(tmp_path):
    root, catalogue = _root(tmp_path), Catalogue(str(tmp_path))
    tree = content_tree(root, catalogue)
    (root / "billing" / "refunds.md").rename(root / "billing" / "money-back.md")
    (root / "account" / "password.md").unlink()
    assert update_tree(tree, root, ["billing/money-back.md"], ["billing/refunds.md", "account/password.md"])
    assert _tree_fields(tree) == _tree_fields(content_tree(root, catalogue))


def test_what_only_a_new_scan_can_tell_leaves_the_tree_unchanged(tmp_path):
    root, catalogue = _root(tmp_path), Catalogue(str(tmp_path))
    tree = content_tree(root, catalogue)
    before = [set(f) if isinstance(f, set) else dict(f) for f in _tree_fields(tree)]
    (root / "billing" / ".draft.md").write_text("# hidden\n")
    (root / "new").mkdir()
    (root / "new" / "page.md").write_text("# in a folder the scan did not walk\n")
    (root / "billing" / "huge.md").write_text("x" * 3_000_000)  # over an article's size limit
    (root / "billing" / "link.md").symlink_to("/etc/hostname")  # a link out of the content folder
    for added in (["billing/.draft.md"], ["new/page.md"], ["billing/huge.md"], ["billing/link.md"]):
        assert not update_tree(tree, root, added, []), added
    (root / "account" / "password.md").unlink()
    (root / "account").rmdir()
    assert not update_tree(tree, root, [], ["account/password.md"])  # its folder went too
    assert not update_tree(tree, root, [], ["billing/never-there.md"])
    assert [set(f) if isinstance(f, set) else dict(f) for f in _tree_fields(tree)] == before
