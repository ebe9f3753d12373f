import { Controller, Get, UseFilters } from '@nestjs/common';
import { AdminExceptionFilter } from './admin-exception.filter';
import { ADMIN_OPENAPI } from './openapi';

/** Public: the document describes the API and holds nothing secret. */
@Controller('admin/v1')
@UseFilters(AdminExceptionFilter)
export class AdminOpenApiController {
  @Get('openapi.json')
  document(): typeof ADMIN_OPENAPI {
    return ADMIN_OPENAPI;
  }
}
