//! What every page carries: the header (`<company> - <title>`, `Report Date: …`) at the top
//! and the footer (`Report generated on: …` left, `Page n of N` right) at the bottom.

use std::cell::Cell;
use std::rc::Rc;

use genpdf::elements::{LinearLayout, Paragraph, TableLayout};
use genpdf::error::Error;
use genpdf::render::Area;
use genpdf::style::Style;
use genpdf::{Alignment, Context, Element, Margins, Mm, PageDecorator, Position};

/// Space kept free for the footer at the bottom of each page.
const FOOTER_HEIGHT: f64 = 10.0;

pub(crate) struct ReportPage {
    pub header: String,
    pub report_date: String,
    pub generated_on: String,
    /// `N` of `Page n of N`, known on the second pass.
    pub total_pages: Option<usize>,
    /// Pages decorated so far, read after the first pass.
    pub pages: Rc<Cell<usize>>,
    pub margins: Margins,
}

impl PageDecorator for ReportPage {
    fn decorate_page<'a>(
        &mut self,
        context: &Context,
        mut area: Area<'a>,
        style: Style,
    ) -> Result<Area<'a>, Error> {
        let page = self.pages.get() + 1;
        self.pages.set(page);
        area.add_margins(self.margins);

        let height = area.size().height;
        let mut footer_area = area.clone();
        footer_area.add_offset(Position::new(0, height - Mm::from(FOOTER_HEIGHT) + Mm::from(4.0)));
        let page_text = match self.total_pages {
            Some(total) => format!("Page {page} of {total}"),
            None => format!("Page {page} of {page}"),
        };
        let mut footer = TableLayout::new(vec![3, 1]);
        footer
            .row()
            .element(Paragraph::new(self.generated_on.as_str()))
            .element(Paragraph::new(page_text).aligned(Alignment::Right))
            .push()?;
        footer.styled(Style::new().with_font_size(8)).render(context, footer_area, style)?;
        area.set_height(height - Mm::from(FOOTER_HEIGHT));

        let mut header = LinearLayout::vertical();
        header.push(Paragraph::new(self.header.as_str()).styled(Style::new().bold().with_font_size(13)));
        header.push(Paragraph::new(self.report_date.as_str()).styled(Style::new().with_font_size(10)));
        header.push(genpdf::elements::Break::new(1));
        let used = header.render(context, area.clone(), style)?;
        area.add_offset(Position::new(0, used.size.height));
        Ok(area)
    }
}
