"""Archived texts (coe_kz/passages.py): paragraphs numbered as citations count them,
sentences, where a quote stands, the closest passage to one that is not there, and
which sentences the citations and the passages set aside account for."""

from coe_kz.passages import ArchivedText, account, marked

TEXT = (
    " date 2023-10-07 Images | Kazakh MFA\n\n\n\n"
    "The Council of Europe’s office will open soon. It was announced in Strasbourg.\n\n"
    "Not being a member, Kazakhstan takes part in agreements that allow\n"
    "non-member states to work together — on issues of interest.\n \n"
    "“The first activity was in 2007 already. Then, we received other requests,” he said.\n\n"
    "Сooperation with PACE. Conventions Nos. 141 and 127 were joined by A. Khamzaev."
)
READ = ArchivedText(TEXT)


def test_paragraphs_are_the_blocks_between_blank_lines_the_first_line_counting_as_1():
    assert [p.number for p in READ.paragraphs] == [1, 2, 3, 4, 5]
    assert READ.paragraphs[0].text == "date 2023-10-07 Images | Kazakh MFA"
    assert (
        READ.paragraphs[2].text.startswith("Not being a member") and "\nnon-member" in READ.paragraphs[2].text
    )


def test_sentences_run_across_wrapped_lines_and_count_inside_quoted_speech():
    assert [(s.label, s.text) for s in READ.sentences] == [
        ("1.1", "date 2023-10-07 Images | Kazakh MFA"),
        ("2.1", "The Council of Europe’s office will open soon."),
        ("2.2", "It was announced in Strasbourg."),
        (
            "3.1",
            "Not being a member, Kazakhstan takes part in agreements that allow\n"
            "non-member states to work together — on issues of interest.",
        ),
        ("4.1", "“The first activity was in 2007 already."),
        ("4.2", "Then, we received other requests,” he said."),
        ("5.1", "Сooperation with PACE."),
        ("5.2", "Conventions Nos. 141 and 127 were joined by A. Khamzaev."),
    ]


def test_a_quote_stands_in_the_text_whatever_its_spacing_quotation_marks_dashes_and_look_alike_letters():
    found = READ.find("Council of Europe's office")  # a straight apostrophe for ’
    assert found.paragraph == 2 and TEXT[slice(*found.spans[0])] == "Council of Europe’s office"
    assert READ.find("that allow non-member states to work together - on issues").paragraph == 3
    assert READ.find('"The first activity was in 2007 already.').paragraph == 4
    assert READ.find("Cooperation with PACE.").paragraph == 5  # Latin C for the text's Cyrillic С
    assert READ.find("council of europe’s office") is None  # verbatim: case counts


def test_a_quote_may_skip_words_and_spans_the_least_text_it_can():
    found = READ.find("Conventions Nos. ... 127 were joined")
    assert found.paragraph == 5
    assert [TEXT[start:end] for start, end in found.spans] == ["Conventions Nos.", "127 were joined"]
    assert READ.find("It was announced … take part") is None  # the pieces are not in this order


def test_the_closest_passage_to_a_quote_not_in_the_text_is_in_whole_words():
    passage = READ.closest("Not being a member, Kazakhstan took part in agreements")
    assert (passage.paragraph, passage.text) == (3, "Not being a member, Kazakhstan takes part in agreements")


def test_a_passage_set_aside_holds_whole_sentences_only():
    held, cut = READ.whole_sentences(READ.find("The first activity was in 2007 already."))
    assert ([s.label for s in held], cut) == (["4.1"], [])  # its opening mark may be left out
    held, cut = READ.whole_sentences(READ.find("was in 2007 already. Then, we received"))
    assert (held, [s.label for s in cut]) == ([], ["4.1", "4.2"])


def test_every_sentence_is_cited_set_aside_or_open():
    accounted = account(
        TEXT,
        [
            ("event:1", "It was announced in Strasbourg."),
            ("event:2", "Strasbourg. Not being"),
            ("x", "absent"),
        ],
        [("The page's header.", "date 2023-10-07 Images | Kazakh MFA")],
    )
    by_label = {a.sentence.label: a for a in accounted}
    assert by_label["1.1"].set_aside == ("The page's header.",) and not by_label["1.1"].is_open
    assert by_label["2.2"].cited_by == ("event:1", "event:2")
    assert by_label["3.1"].cited_by == ("event:2",)  # a quote across two paragraphs
    assert [a.sentence.label for a in accounted if a.is_open] == ["2.1", "4.1", "4.2", "5.1", "5.2"]


def test_quoted_passages_are_marked_once_however_many_quotes_overlap():
    paragraphs = marked(TEXT, [(1, "office will open soon"), (2, "will open soon. It was"), (3, "PACE")])
    second = paragraphs[1].segments
    assert [(s.text, s.cited) for s in second] == [
        ("The Council of Europe’s ", ()),
        ("office will open soon. It was", (1, 2)),
        (" announced in Strasbourg.", ()),
    ]
    assert [p.number for p in paragraphs if p.is_cited] == [2, 5]
