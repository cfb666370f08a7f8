"""Path (home): the levels and capstones with their modules, lessons and labs, and what next."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Label, Tree

from perfcoach.course import LevelState, ModuleState, PathState, build_path
from perfcoach.tui.widgets.footer import KeysFooter
from perfcoach.tui.widgets.level_card import LevelCard

if TYPE_CHECKING:
    from textual.widgets.tree import TreeNode

    from perfcoach.tui.app import PerfcoachApp

FILTERS = ("all", "todo", "done")
LAB_MARK = {"passed": "✔", "failing": "✘", "started": "…", "not started": "·"}


def bar(done: int, total: int, width: int = 10) -> str:
    """A text progress bar for tree labels, where widgets cannot go."""
    if total == 0:
        return "░" * width
    filled = round(width * done / total)
    return "█" * filled + "░" * (width - filled)


class PathScreen(Screen[None]):
    """The mastery path: levels, modules, lessons and labs."""

    BINDINGS = [
        Binding("c", "app.continue", "Continue"),
        Binding("f", "filter", "Filter"),
        Binding("g", "app.progress", "Progress"),
        Binding("e", "app.efforts", "Efforts"),
        Binding("p", "app.playground", "Playground"),
        Binding("enter", "open", "Open", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = "all"
        self.state: PathState | None = None
        self._composed_fresh = True

    @property
    def coach(self) -> PerfcoachApp:
        """The app, typed."""
        return cast("PerfcoachApp", self.app)

    def compose(self) -> ComposeResult:
        """Every widget is made with what it shows: filled in after mounting, the first
        screen was laid out and drawn again before anyone saw it."""
        self.state = build_path(self.coach.pack, self.coach.store, self.coach.today())
        yield Header()
        with Horizontal(id="levels"):
            for level in self.state.levels:
                yield LevelCard(level.level, self._card_name(level), level.finished, level.items)
        yield Label(self._next_text(), id="next")
        yield Label(self.coach.pack_warning or "", id="pack-warning", markup=False)
        tree: Tree[tuple[str, str]] = Tree("mastery path", id="path-tree")
        self._fill_tree(tree)
        yield tree
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#pack-warning").display = bool(self.coach.pack_warning)
        tree = self.query_one(Tree)
        tree.focus()
        self._cursor_to(tree, None)

    def on_screen_resume(self) -> None:
        """Read the path again whenever the learner comes back to it (the first time, the
        path composed a moment ago is current)."""
        if self._composed_fresh:
            self._composed_fresh = False
            return
        self.refresh_path()

    def store_changed(self) -> None:
        """Another process wrote (a check, a lesson read from the CLI): redraw the path."""
        self.refresh_path()

    def refresh_path(self) -> None:
        """Read the path again: a check, a hint or a quiz may have changed it."""
        self.state = build_path(self.coach.pack, self.coach.store, self.coach.today())
        for level in self.state.levels:
            card = self.query_one(f"#level-{level.level}", LevelCard)
            card.show(self._card_name(level), level.finished, level.items)
        self.query_one("#next", Label).update(self._next_text())
        self._refill_tree()

    def _refill_tree(self) -> None:
        """Fill the mounted tree again, the cursor staying on the item it was on."""
        tree = self.query_one(Tree)
        here = tree.cursor_node.data if tree.cursor_node is not None else None
        self._fill_tree(tree)
        self._cursor_to(tree, here)

    @staticmethod
    def _card_name(level: LevelState) -> str:
        return f"{level.level} {level.name}"

    def _next_text(self) -> str:
        """Where `c` goes, in words."""
        nxt = self.state.next if self.state is not None else None
        if nxt is None:
            return "every lesson read and every lab passed: well done"
        return f"next: {nxt.kind} [b]{nxt.title}[/b] — press c to continue"

    def _fill_tree(self, tree: Tree[tuple[str, str]]) -> None:
        """The tree's items under the current filter (the cursor is placed by the caller)."""
        assert self.state is not None
        tree.clear()
        tree.show_root = False
        tree.root.set_label(f"mastery path  (filter: {self.filter})")
        for level in self.state.levels:
            if not level.modules:
                tree.root.add_leaf(f"{level.level} {level.name}  — labs coming soon")
                continue
            level_node = tree.root.add(self._level_label(level), expand=True)
            for module in level.modules:
                if not self._shown(module.done):
                    continue
                module_node = level_node.add(self._module_label(module), expand=True)
                if module.lesson is not None and self._shown(module.read):
                    mark = "✔" if module.read else "·"
                    quiz = ""
                    if module.quiz is not None:
                        quiz = f"  quiz {module.quiz.correct}/{len(module.lesson.quiz)}"
                    module_node.add_leaf(
                        f"{mark} lesson  {module.lesson.title}{quiz}", data=("lesson", module.id)
                    )
                for lab in module.labs:
                    if self._shown(lab.done):
                        module_node.add_leaf(
                            f"{LAB_MARK[lab.status]} lab     {lab.lab.id}  [dim]{lab.status}[/dim]",
                            data=("lab", lab.lab.id),
                        )
        tree.root.expand()

    def _cursor_to(self, tree: Tree[tuple[str, str]], here: tuple[str, str] | None) -> None:
        """Stay on the item the learner was on; else start on the next unfinished one,
        so enter opens it."""
        targets = [here] if here is not None else []
        if self.state is not None and self.state.next is not None:
            targets.append((self.state.next.kind, self.state.next.id))
        nodes: dict[tuple[str, str] | None, TreeNode[tuple[str, str]]] = {}
        stack = list(tree.root.children)
        while stack:
            node = stack.pop(0)
            nodes.setdefault(node.data, node)
            stack.extend(node.children)
        for target in targets:
            if target in nodes:
                self.call_after_refresh(tree.move_cursor, nodes[target])
                return

    def _shown(self, done: bool) -> bool:
        return self.filter == "all" or (self.filter == "done") == done

    @staticmethod
    def _level_label(level: LevelState) -> str:
        done = "  ✔ complete" if level.done else ""
        return (
            f"{level.level} {level.name}  {bar(level.finished, level.items)} "
            f"{level.finished}/{level.items}{done}"
        )

    @staticmethod
    def _module_label(module: ModuleState) -> str:
        return (
            f"{module.title}  {bar(module.finished, module.items, 6)} "
            f"{module.finished}/{module.items}"
        )

    def on_tree_node_selected(self, event: Tree.NodeSelected[tuple[str, str]]) -> None:
        if event.node.data is not None:
            self.coach.open_item(*event.node.data)

    def action_open(self) -> None:
        """Open the highlighted item."""
        node = self.query_one(Tree).cursor_node
        if node is not None and node.data is not None:
            self.coach.open_item(*node.data)

    def action_filter(self) -> None:
        """Show all items, only what is left to do, or only what is done."""
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self._refill_tree()
        self.notify(f"showing: {self.filter}")
