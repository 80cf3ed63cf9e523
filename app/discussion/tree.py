"""Building the reply tree of one page of a thread in Python (the posts come in one query)."""
from dataclasses import dataclass

#: deeper replies are shown at this indent, with an "in reply to" link to their parent
MAX_INDENT = 4


@dataclass
class PostNode:
    post: object
    depth: int          # the real depth in the tree (1 = a direct reply to the opening post)
    indent: int         # the visual depth, capped at MAX_INDENT
    parent: object | None

    @property
    def flattened(self) -> bool:
        """Too deep to indent further: show an "in reply to" link instead."""
        return self.depth > MAX_INDENT


def _order_key(post):
    return (post.created_at, post.id)


def build_tree(posts, root_id: int | None) -> list[PostNode]:
    """Order `posts` depth-first under `root_id` (oldest first among siblings).

    Iterative, so a 1,000-deep chain of replies does not hit the recursion limit. Posts whose
    parent is not among `posts` (nor the root) are orphans and are not shown.
    """
    by_id = {post.id: post for post in posts}
    children: dict[int | None, list] = {}
    for post in posts:
        children.setdefault(post.parent_id, []).append(post)
    for siblings in children.values():
        siblings.sort(key=_order_key)
    ordered: list[PostNode] = []
    stack = [(child, 1) for child in reversed(children.get(root_id, []))]
    while stack:
        post, depth = stack.pop()
        ordered.append(PostNode(post=post, depth=depth, indent=min(depth, MAX_INDENT),
                                parent=by_id.get(post.parent_id)))
        stack.extend((child, depth + 1) for child in reversed(children.get(post.id, [])))
    return ordered
